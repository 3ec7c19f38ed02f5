//! Hand-written SVG figures for papers: one or more panels of line and point series, each with
//! its axes (linear, or in decades), a title and a caption that wrap to the figure's width, a
//! legend that flows into rows below the panels, and point labels placed only where they
//! collide with nothing. Text is set in the embedded font ([`graphics`](crate::report::graphics)) and measured with it,
//! so nothing is clipped at any `--width`. Floats live here only to place pixels; every number
//! drawn comes from an exact value or the midpoint of an enclosure computed upstream.
//!
//! Labels take a small markup for mathematics: `_x` or `_{xy}` sets a subscript, `^x` or `^{xy}`
//! a superscript (`π_N^m`, `φ_δ`, `KL(π_N ‖ p)`).
//!
//! Each series is one `<polyline>` with `data-series="name"` inside its panel's
//! `<g class="plot-area">`, which carries the data ranges (`data-xmin` ...), so a test can map
//! the drawn points back to the data ([`read_series`]).

use std::fmt::Write;

use crate::error::{InputError, Result};
use crate::report::graphics::{text_width, FONT_FAMILY};

/// A colour-blind-safe palette (Okabe and Ito), one colour per quantity.
pub const COLOURS: &[&str] = &[
    "#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#000000", "#8C564B",
];

/// The default width of a figure, in px (a column of a paper at 96 dpi is about 330 px, a
/// page about 700).
pub const DEFAULT_WIDTH: f64 = 760.0;

const MARGIN: f64 = 12.0;
const TITLE_SIZE: f64 = 15.0;
const TEXT_SIZE: f64 = 12.0;
const SMALL_SIZE: f64 = 10.5;

/// How a series' points are joined.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Line {
    /// A solid line.
    #[default]
    Solid,
    /// Dashes.
    Dashed,
    /// Dots.
    Dotted,
    /// No line: markers only.
    None,
}

/// The marker drawn at each point.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Marker {
    /// No marker.
    #[default]
    None,
    /// A filled circle.
    Circle,
    /// An open square.
    Square,
    /// An open triangle.
    Triangle,
    /// An open diamond.
    Diamond,
}

/// How a series is drawn.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct Style {
    /// Index into [`COLOURS`].
    pub colour: usize,
    /// The line.
    pub line: Line,
    /// The marker.
    pub marker: Marker,
}

/// One series of a panel.
#[derive(Debug, Clone, Default)]
pub struct Series {
    /// The legend's name (and `data-series`, when `key` is empty).
    pub name: String,
    /// The key a test reads the series back by (`data-series`); empty: the name.
    pub key: String,
    /// The points, in data coordinates (on a [`Scale::Decades`] axis: log10 of the values).
    pub points: Vec<(f64, f64)>,
    /// How it is drawn.
    pub style: Style,
    /// Labels of points (index, text), drawn where they collide with nothing.
    pub labels: Vec<(usize, String)>,
    /// Leave it out of the legend (a series that repeats another's entry).
    pub unlisted: bool,
}

/// An axis' scale.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Scale {
    /// Values as given.
    #[default]
    Linear,
    /// The points carry log10 of the values; ticks are powers of ten.
    Decades,
}

/// A vertical line at `x` with a label: where something about the data changes.
#[derive(Debug, Clone)]
pub struct Mark {
    /// Where, in data coordinates.
    pub x: f64,
    /// What changes there.
    pub label: String,
}

/// One panel: axes and the series drawn on them.
#[derive(Debug, Clone, Default)]
pub struct Panel {
    /// A heading above the panel (empty: none).
    pub title: String,
    /// The x axis' label.
    pub x_label: String,
    /// The y axis' label.
    pub y_label: String,
    /// The x scale.
    pub x_scale: Scale,
    /// The y scale.
    pub y_scale: Scale,
    /// The series, drawn in this order (later ones on top).
    pub series: Vec<Series>,
    /// Vertical marks.
    pub marks: Vec<Mark>,
    /// What the panel says when it has no point to draw.
    pub empty_note: String,
}

/// A figure: a title, a caption naming the case, panels in a grid, one legend.
#[derive(Debug, Clone)]
pub struct Figure {
    /// The title (wraps).
    pub title: String,
    /// The caption: the case and what was computed (wraps).
    pub caption: String,
    /// The panels, filled row by row.
    pub panels: Vec<Panel>,
    /// Panels per row (fewer when the width leaves a panel under 230 px).
    pub columns: usize,
    /// The size.
    pub size: FigureSize,
}

/// A figure's size in px as asked for: each `None` leaves it to the figure (760 px wide, as
/// tall as the panels need).
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct FigureSize {
    /// Width.
    pub width: Option<f64>,
    /// Height.
    pub height: Option<f64>,
}

impl FigureSize {
    /// A size from `--width`/`--height`, each checked to lie in 240..=8000 px.
    pub fn new(width: Option<f64>, height: Option<f64>) -> Result<FigureSize> {
        for (flag, v) in [("--width", width), ("--height", height)] {
            if let Some(v) = v {
                if !(240.0..=8000.0).contains(&v) {
                    return Err(InputError::new(format!(
                        "{flag} {v}: must lie in 240..8000 (pixels; 96 per inch)"
                    )));
                }
            }
        }
        Ok(FigureSize { width, height })
    }
}

/// Escapes text for SVG.
pub fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// A piece of a label: base text, subscript or superscript.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Level {
    Base,
    Sub,
    Sup,
}

/// Splits the label markup into runs.
fn runs(text: &str) -> Vec<(Level, String)> {
    let mut out: Vec<(Level, String)> = Vec::new();
    let mut chars = text.chars().peekable();
    let push = |level: Level, s: String, out: &mut Vec<(Level, String)>| match out.last_mut() {
        Some((l, t)) if *l == level => t.push_str(&s),
        _ => out.push((level, s)),
    };
    while let Some(c) = chars.next() {
        let level = match c {
            '_' => Level::Sub,
            '^' => Level::Sup,
            _ => {
                push(Level::Base, c.to_string(), &mut out);
                continue;
            }
        };
        let script: String = if chars.peek() == Some(&'{') {
            chars.next();
            chars.by_ref().take_while(|c| *c != '}').collect()
        } else {
            chars.next().map(String::from).unwrap_or_default()
        };
        push(level, script, &mut out);
    }
    out
}

/// The label without its markup (for `data-series` and read-back).
pub fn plain(text: &str) -> String {
    runs(text).into_iter().map(|(_, s)| s).collect()
}

const SCRIPT: f64 = 0.72;

/// Labels inside a plot area get a white outline, so a line they cross does not hide them.
const HALO: &str = r##" fill="#222" stroke="white" stroke-width="3" stroke-linejoin="round" paint-order="stroke""##;

/// The width of a label at `size`.
fn label_width(text: &str, size: f64) -> f64 {
    runs(text)
        .iter()
        .map(|(level, s)| match level {
            Level::Base => text_width(s, size),
            _ => text_width(s, size * SCRIPT),
        })
        .sum()
}

/// The label as SVG text content: runs as `<tspan>`s shifted up or down.
pub(crate) fn label_svg(text: &str, size: f64) -> String {
    let mut out = String::new();
    let mut offset = 0.0;
    for (level, s) in runs(text) {
        let (target, font) = match level {
            Level::Base => (0.0, size),
            Level::Sub => (size * 0.28, size * SCRIPT),
            Level::Sup => (-size * 0.38, size * SCRIPT),
        };
        let dy = target - offset;
        offset = target;
        if level == Level::Base && dy == 0.0 {
            out.push_str(&escape(&s));
        } else {
            write!(
                out,
                r#"<tspan dy="{dy:.2}" font-size="{font:.2}">{}</tspan>"#,
                escape(&s)
            )
            .unwrap();
        }
    }
    out
}

/// Breaks `text` into lines no wider than `width` at `size`, at spaces (a word longer than
/// the line stands alone).
pub fn wrap(text: &str, size: f64, width: f64) -> Vec<String> {
    let mut lines = Vec::new();
    let mut line = String::new();
    for word in text.split_whitespace() {
        let candidate = if line.is_empty() {
            word.to_string()
        } else {
            format!("{line} {word}")
        };
        if !line.is_empty() && label_width(&candidate, size) > width {
            lines.push(std::mem::replace(&mut line, word.to_string()));
        } else {
            line = candidate;
        }
    }
    if !line.is_empty() {
        lines.push(line);
    }
    lines
}

fn superscript(n: i64) -> String {
    const DIGITS: [char; 10] = ['⁰', '¹', '²', '³', '⁴', '⁵', '⁶', '⁷', '⁸', '⁹'];
    let mut out = String::new();
    if n < 0 {
        out.push('⁻');
    }
    for d in n.unsigned_abs().to_string().bytes() {
        out.push(DIGITS[(d - b'0') as usize]);
    }
    out
}

/// A tick's label on a scale.
fn tick_label(v: f64, scale: Scale) -> String {
    match scale {
        Scale::Decades => match v.round() as i64 {
            0 => "1".into(),
            1 => "10".into(),
            k => format!("10{}", superscript(k)),
        },
        Scale::Linear if v == 0.0 => "0".into(),
        Scale::Linear if v.abs() >= 1e5 || v.abs() < 1e-3 => {
            let exponent = v.abs().log10().floor() as i64;
            let mantissa = v / 10f64.powi(exponent as i32);
            let m = format!("{mantissa:.1}");
            let m = m.trim_end_matches('0').trim_end_matches('.');
            format!("{m}·10{}", superscript(exponent))
        }
        Scale::Linear => {
            let s = format!("{v:.4}");
            s.trim_end_matches('0')
                .trim_end_matches('.')
                .replace('-', "−")
        }
    }
}

/// Tick positions covering `[lo, hi]`: "nice" steps (1, 2, 5 x 10^k; whole decades on a
/// decade scale), at most `max_count` of them.
fn ticks(lo: f64, hi: f64, scale: Scale, max_count: usize) -> Vec<f64> {
    let span = (hi - lo).max(1e-300);
    let max_count = max_count.max(2) as f64;
    let step = match scale {
        Scale::Decades => [1.0, 2.0, 5.0, 10.0, 20.0, 50.0, 100.0, 200.0, 500.0, 1000.0]
            .into_iter()
            .find(|s| span / s <= max_count)
            .unwrap_or(1000.0),
        Scale::Linear => {
            let magnitude = 10f64.powf((span / max_count).log10().floor());
            [1.0, 2.0, 5.0, 10.0, 20.0]
                .iter()
                .map(|f| f * magnitude)
                .find(|s| span / s <= max_count)
                .unwrap_or(20.0 * magnitude)
        }
    };
    let first = (lo / step).ceil() * step;
    (0..64)
        .map(|i| first + i as f64 * step)
        .take_while(|t| *t <= hi + step * 1e-9)
        .map(|t| if t.abs() < step * 1e-9 { 0.0 } else { t })
        .collect()
}

/// Axis-aligned boxes: `(x0, y0, x1, y1)`.
type Rect = (f64, f64, f64, f64);

fn overlaps(a: &Rect, b: &Rect) -> bool {
    a.0 < b.2 && b.0 < a.2 && a.1 < b.3 && b.1 < a.3
}

/// Data ranges of a panel, padded, never empty.
fn ranges(panel: &Panel) -> (f64, f64, f64, f64) {
    let finite = panel
        .series
        .iter()
        .flat_map(|s| s.points.iter().copied())
        .filter(|(x, y)| x.is_finite() && y.is_finite());
    let (mut xmin, mut xmax, mut ymin, mut ymax) = finite.fold(
        (
            f64::INFINITY,
            f64::NEG_INFINITY,
            f64::INFINITY,
            f64::NEG_INFINITY,
        ),
        |(a, b, c, d), (x, y)| (a.min(x), b.max(x), c.min(y), d.max(y)),
    );
    for m in &panel.marks {
        xmin = xmin.min(m.x);
        xmax = xmax.max(m.x);
    }
    if !xmin.is_finite() {
        (xmin, xmax) = (0.0, 1.0);
    }
    if !ymin.is_finite() {
        (ymin, ymax) = (0.0, 1.0);
    }
    if xmax <= xmin {
        (xmin, xmax) = (xmin - 0.5, xmax + 0.5);
    }
    if ymax <= ymin {
        let pad = if ymin == 0.0 { 0.5 } else { ymin.abs() * 0.05 };
        (ymin, ymax) = (ymin - pad, ymax + pad);
    }
    let pad = (ymax - ymin) * 0.06;
    let xpad = (xmax - xmin) * 0.02;
    (xmin - xpad, xmax + xpad, ymin - pad, ymax + pad)
}

/// One legend entry: its sample's style and its name.
fn legend_entries(figure: &Figure) -> Vec<(Style, String)> {
    let mut out: Vec<(Style, String)> = Vec::new();
    for s in figure.panels.iter().flat_map(|p| &p.series) {
        if !s.unlisted && !out.iter().any(|(st, n)| *st == s.style && *n == s.name) {
            out.push((s.style, s.name.clone()));
        }
    }
    out
}

const SAMPLE: f64 = 34.0;
const LEGEND_ROW: f64 = 18.0;

/// Legend entries placed in rows: `(row, x offset)` each, and the row count.
fn legend_layout(entries: &[(Style, String)], width: f64) -> (Vec<(usize, f64)>, usize) {
    let mut placed = Vec::new();
    let (mut row, mut x) = (0, 0.0);
    for (_, name) in entries {
        let w = SAMPLE + 6.0 + label_width(name, TEXT_SIZE) + 18.0;
        if x > 0.0 && x + w > width {
            row += 1;
            x = 0.0;
        }
        placed.push((row, x));
        x += w;
    }
    let rows = if entries.is_empty() { 0 } else { row + 1 };
    (placed, rows)
}

fn dash(line: Line) -> &'static str {
    match line {
        Line::Dashed => r#" stroke-dasharray="7 4""#,
        Line::Dotted => r#" stroke-dasharray="1.5 3" stroke-linecap="round""#,
        _ => "",
    }
}

fn marker_svg(out: &mut String, marker: Marker, colour: &str, x: f64, y: f64, r: f64) {
    match marker {
        Marker::None => {}
        Marker::Circle => {
            writeln!(
                out,
                r#"<circle cx="{x:.2}" cy="{y:.2}" r="{r:.2}" fill="{colour}"/>"#
            )
            .unwrap();
        }
        Marker::Square => {
            writeln!(
                out,
                r##"<rect x="{:.2}" y="{:.2}" width="{:.2}" height="{:.2}" fill="white" stroke="{colour}" stroke-width="1.8"/>"##,
                x - r,
                y - r,
                2.0 * r,
                2.0 * r
            )
            .unwrap();
        }
        Marker::Triangle => {
            writeln!(
                out,
                r##"<polygon points="{:.2},{:.2} {:.2},{:.2} {:.2},{:.2}" fill="white" stroke="{colour}" stroke-width="1.8"/>"##,
                x,
                y - 1.2 * r,
                x + 1.1 * r,
                y + 0.8 * r,
                x - 1.1 * r,
                y + 0.8 * r
            )
            .unwrap();
        }
        Marker::Diamond => {
            writeln!(
                out,
                r##"<polygon points="{:.2},{:.2} {:.2},{:.2} {:.2},{:.2} {:.2},{:.2}" fill="white" stroke="{colour}" stroke-width="1.8"/>"##,
                x,
                y - 1.3 * r,
                x + 1.1 * r,
                y,
                x,
                y + 1.3 * r,
                x - 1.1 * r,
                y
            )
            .unwrap();
        }
    }
}

fn text_svg(out: &mut String, x: f64, y: f64, size: f64, anchor: &str, extra: &str, text: &str) {
    writeln!(
        out,
        r#"<text x="{x:.2}" y="{y:.2}" font-size="{size}" text-anchor="{anchor}"{extra}>{}</text>"#,
        label_svg(text, size)
    )
    .unwrap();
}

/// The vertical space a panel needs besides its plot area: its heading, tick labels, x label.
fn panel_chrome(panel: &Panel) -> f64 {
    let heading = if panel.title.is_empty() { 0.0 } else { 18.0 };
    heading + 8.0 + 16.0 + 20.0 + 12.0
}

impl Figure {
    /// The figure as SVG text; an error when the size leaves a panel no room.
    pub fn render(&self) -> Result<String> {
        let width = self.size.width.unwrap_or(DEFAULT_WIDTH);
        let inner = width - 2.0 * MARGIN;
        let title = wrap(&self.title, TITLE_SIZE, inner);
        let caption = wrap(&self.caption, SMALL_SIZE, inner);
        let entries = legend_entries(self);
        let (legend_places, legend_rows) = legend_layout(&entries, inner);
        let header = MARGIN + title.len() as f64 * 22.0 + caption.len() as f64 * 15.0 + 12.0;
        let footer = legend_rows as f64 * LEGEND_ROW + MARGIN + 4.0;
        // Fewer columns on a narrow figure, so each panel keeps room for its axes.
        let columns = self.columns.clamp(1, ((inner / 230.0) as usize).max(1));
        let rows = self.panels.len().div_ceil(columns).max(1);
        let chrome = self.panels.iter().map(panel_chrome).fold(0.0, f64::max);
        let default_plot = if rows == 1 { 300.0 } else { 190.0 };
        let (height, plot_h) = match self.size.height {
            Some(h) => (h, (h - header - footer) / rows as f64 - chrome),
            None => (
                header + footer + rows as f64 * (chrome + default_plot),
                default_plot,
            ),
        };
        let needed = header + footer + rows as f64 * (chrome + 60.0);
        if plot_h < 60.0 {
            return Err(InputError::new(format!(
                "--height {height}: too small for this figure; it needs at least {} px",
                needed.ceil()
            )));
        }
        let cell_w = inner / columns as f64;
        let mut out = String::new();
        writeln!(
            out,
            r#"<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height:.0}" viewBox="0 0 {width} {height:.0}" font-family="{FONT_FAMILY}, sans-serif" font-size="{TEXT_SIZE}">"#
        )
        .unwrap();
        writeln!(out, r#"<rect width="100%" height="100%" fill="white"/>"#).unwrap();
        let mut y = MARGIN;
        for line in &title {
            y += 17.0;
            text_svg(&mut out, width / 2.0, y, TITLE_SIZE, "middle", "", line);
            y += 5.0;
        }
        for line in &caption {
            y += 15.0;
            text_svg(
                &mut out,
                width / 2.0,
                y,
                SMALL_SIZE,
                "middle",
                r##" fill="#444""##,
                line,
            );
        }
        let top = header;
        for (i, panel) in self.panels.iter().enumerate() {
            let (r, c) = (i / columns, i % columns);
            let cell = (
                MARGIN + c as f64 * cell_w,
                top + r as f64 * (chrome + plot_h),
            );
            self.panel_svg(&mut out, panel, cell, cell_w, plot_h)?;
        }
        let legend_top = height - footer + 4.0;
        for ((style, name), (row, x)) in entries.iter().zip(&legend_places) {
            let colour = COLOURS[style.colour % COLOURS.len()];
            let (x, y) = (MARGIN + x, legend_top + *row as f64 * LEGEND_ROW + 9.0);
            if style.line != Line::None {
                writeln!(
                    out,
                    r#"<line x1="{x:.2}" y1="{y:.2}" x2="{:.2}" y2="{y:.2}" stroke="{colour}" stroke-width="2.2"{}/>"#,
                    x + SAMPLE,
                    dash(style.line)
                )
                .unwrap();
            }
            marker_svg(&mut out, style.marker, colour, x + SAMPLE / 2.0, y, 4.0);
            text_svg(
                &mut out,
                x + SAMPLE + 6.0,
                y + 4.0,
                TEXT_SIZE,
                "start",
                "",
                name,
            );
        }
        writeln!(out, "</svg>").unwrap();
        Ok(out)
    }

    fn panel_svg(
        &self,
        out: &mut String,
        panel: &Panel,
        (cell_x, cell_y): (f64, f64),
        cell_w: f64,
        plot_h: f64,
    ) -> Result<()> {
        let (xmin, xmax, ymin, ymax) = ranges(panel);
        let heading = if panel.title.is_empty() { 0.0 } else { 18.0 };
        let y_ticks = ticks(ymin, ymax, panel.y_scale, (plot_h / 28.0) as usize);
        let y_tick_w = y_ticks
            .iter()
            .map(|t| label_width(&tick_label(*t, panel.y_scale), TEXT_SIZE))
            .fold(0.0, f64::max);
        let left = cell_x + 20.0 + y_tick_w + 8.0;
        let plot_w = cell_x + cell_w - 10.0 - left;
        if plot_w < 80.0 {
            return Err(InputError::new(format!(
                "--width {}: too narrow for this figure's panels",
                self.size.width.unwrap_or(DEFAULT_WIDTH)
            )));
        }
        let top = cell_y + heading + 8.0;
        let px = |x: f64| left + (x - xmin) / (xmax - xmin) * plot_w;
        let py = |y: f64| top + plot_h - (y - ymin) / (ymax - ymin) * plot_h;
        if !panel.title.is_empty() {
            text_svg(
                out,
                left + plot_w / 2.0,
                cell_y + 14.0,
                TEXT_SIZE + 0.5,
                "middle",
                r#" font-weight="bold""#,
                &panel.title,
            );
        }
        let scale_name = |s: Scale| match s {
            Scale::Linear => "linear",
            Scale::Decades => "log10",
        };
        writeln!(
            out,
            r#"<g class="plot-area" data-xmin="{xmin}" data-xmax="{xmax}" data-ymin="{ymin}" data-ymax="{ymax}" data-left="{left}" data-top="{top}" data-width="{plot_w}" data-height="{plot_h}" data-xscale="{}" data-yscale="{}">"#,
            scale_name(panel.x_scale),
            scale_name(panel.y_scale)
        )
        .unwrap();
        writeln!(
            out,
            r##"<rect x="{left:.2}" y="{top:.2}" width="{plot_w:.2}" height="{plot_h:.2}" fill="none" stroke="#333"/>"##
        )
        .unwrap();
        // x ticks: as many as their labels leave room for.
        let mut count = 9;
        let x_ticks = loop {
            let t = ticks(xmin, xmax, panel.x_scale, count);
            let widest = t
                .iter()
                .map(|v| label_width(&tick_label(*v, panel.x_scale), TEXT_SIZE))
                .fold(0.0, f64::max);
            if count <= 2 || (widest + 12.0) * t.len() as f64 <= plot_w {
                break t;
            }
            count -= 1;
        };
        for t in &x_ticks {
            let x = px(*t);
            writeln!(
                out,
                r##"<line x1="{x:.2}" y1="{top:.2}" x2="{x:.2}" y2="{:.2}" stroke="#e4e4e4"/>"##,
                top + plot_h
            )
            .unwrap();
            text_svg(
                out,
                x,
                top + plot_h + 16.0,
                TEXT_SIZE,
                "middle",
                "",
                &tick_label(*t, panel.x_scale),
            );
        }
        for t in &y_ticks {
            let y = py(*t);
            writeln!(
                out,
                r##"<line x1="{left:.2}" y1="{y:.2}" x2="{:.2}" y2="{y:.2}" stroke="#e4e4e4"/>"##,
                left + plot_w
            )
            .unwrap();
            text_svg(
                out,
                left - 6.0,
                y + 4.0,
                TEXT_SIZE,
                "end",
                "",
                &tick_label(*t, panel.y_scale),
            );
        }
        // Boxes text must not collide with: mark labels first, then point labels.
        let mut taken: Vec<Rect> = Vec::new();
        for m in &panel.marks {
            let x = px(m.x);
            writeln!(
                out,
                r##"<line x1="{x:.2}" y1="{top:.2}" x2="{x:.2}" y2="{:.2}" stroke="#777" stroke-dasharray="3 3"/>"##,
                top + plot_h
            )
            .unwrap();
            let w = label_width(&m.label, SMALL_SIZE);
            let (anchor, x0) = if x + 4.0 + w <= left + plot_w {
                ("start", x + 4.0)
            } else {
                ("end", x - 4.0 - w)
            };
            let tx = if anchor == "start" { x + 4.0 } else { x - 4.0 };
            text_svg(out, tx, top + 13.0, SMALL_SIZE, anchor, HALO, &m.label);
            taken.push((x0, top + 2.0, x0 + w, top + 16.0));
        }
        let mut any = false;
        for s in &panel.series {
            let colour = COLOURS[s.style.colour % COLOURS.len()];
            let pixels: Vec<Option<(f64, f64)>> = s
                .points
                .iter()
                .map(|&(x, y)| (x.is_finite() && y.is_finite()).then(|| (px(x), py(y))))
                .collect();
            let drawn: Vec<(f64, f64)> = pixels.iter().flatten().copied().collect();
            any |= !drawn.is_empty();
            let text: Vec<String> = drawn
                .iter()
                .map(|(x, y)| format!("{x:.3},{y:.3}"))
                .collect();
            // Markers-only series keep the polyline (for read-back) but draw no line.
            let stroke = if s.style.line == Line::None { 0.0 } else { 2.0 };
            writeln!(
                out,
                r#"<polyline data-series="{}" points="{}" fill="none" stroke="{colour}" stroke-width="{stroke}" stroke-linejoin="round"{}/>"#,
                escape(&if s.key.is_empty() {
                    plain(&s.name)
                } else {
                    s.key.clone()
                }),
                text.join(" "),
                dash(s.style.line)
            )
            .unwrap();
            // Many points: smaller markers, so a crowd stays a line of points, not a blob.
            let r = if drawn.len() > 40 { 2.2 } else { 3.4 };
            for (x, y) in &drawn {
                marker_svg(out, s.style.marker, colour, *x, *y, r);
            }
            for (i, label) in &s.labels {
                let Some(Some((x, y))) = pixels.get(*i) else {
                    continue;
                };
                let w = label_width(label, SMALL_SIZE);
                let candidates = [
                    (x + 5.0, y - 6.0),
                    (x + 5.0, y + 13.0),
                    (x - 5.0 - w, y - 6.0),
                    (x - 5.0 - w, y + 13.0),
                ];
                let fits = |(x0, base): (f64, f64)| {
                    let b = (x0, base - 9.5, x0 + w, base + 2.5);
                    (b.0 >= left + 1.0
                        && b.2 <= left + plot_w - 1.0
                        && b.1 >= top + 1.0
                        && b.3 <= top + plot_h - 1.0
                        && !taken.iter().any(|t| overlaps(t, &b)))
                    .then_some(b)
                };
                if let Some(b) = candidates.into_iter().find_map(fits) {
                    taken.push(b);
                    text_svg(out, b.0, b.3 - 2.5, SMALL_SIZE, "start", HALO, label);
                }
            }
        }
        if !any {
            let note = if panel.empty_note.is_empty() {
                "no value to draw"
            } else {
                &panel.empty_note
            };
            for (k, line) in wrap(note, TEXT_SIZE, plot_w - 16.0).iter().enumerate() {
                text_svg(
                    out,
                    left + plot_w / 2.0,
                    top + plot_h / 2.0 + k as f64 * 15.0,
                    TEXT_SIZE,
                    "middle",
                    r##" fill="#555""##,
                    line,
                );
            }
        }
        writeln!(out, "</g>").unwrap();
        text_svg(
            out,
            left + plot_w / 2.0,
            top + plot_h + 34.0,
            TEXT_SIZE,
            "middle",
            "",
            &panel.x_label,
        );
        let (ly, lx) = (top + plot_h / 2.0, cell_x + 12.0);
        let y_label = wrap(&panel.y_label, TEXT_SIZE, plot_h)
            .into_iter()
            .next()
            .unwrap_or_default();
        text_svg(
            out,
            lx,
            ly,
            TEXT_SIZE,
            "middle",
            &format!(r#" transform="rotate(-90 {lx:.2} {ly:.2})""#),
            &y_label,
        );
        Ok(())
    }
}

/// Reads the data points of series `name` (its key, or its name without markup) back from an
/// SVG written by [`Figure::render`], in the panel's data coordinates (log10 of the values on a
/// decade axis).
pub fn read_series(svg: &str, name: &str) -> Option<Vec<(f64, f64)>> {
    let attr = |tag: &str, key: &str| -> Option<f64> {
        let start = tag.find(&format!("{key}=\""))? + key.len() + 2;
        tag[start..].split('"').next()?.parse().ok()
    };
    let marker = format!("data-series=\"{}\" points=\"", escape(&plain(name)));
    let at = svg.find(&marker)?;
    let area_start = svg[..at].rfind("<g class=\"plot-area\"")?;
    let area = &svg[area_start..area_start + svg[area_start..].find('>')?];
    let (xmin, xmax, ymin, ymax) = (
        attr(area, "data-xmin")?,
        attr(area, "data-xmax")?,
        attr(area, "data-ymin")?,
        attr(area, "data-ymax")?,
    );
    let (left, top, w, h) = (
        attr(area, "data-left")?,
        attr(area, "data-top")?,
        attr(area, "data-width")?,
        attr(area, "data-height")?,
    );
    let points = svg[at + marker.len()..].split('"').next()?;
    points
        .split_whitespace()
        .map(|p| {
            let (x, y) = p.split_once(',')?;
            let (x, y): (f64, f64) = (x.parse().ok()?, y.parse().ok()?);
            Some((
                xmin + (x - left) / w * (xmax - xmin),
                ymin + (top + h - y) / h * (ymax - ymin),
            ))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markup_makes_scripts_and_plain_text_drops_it() {
        assert_eq!(plain("KL(π_N^m ‖ φ_{δ,1})"), "KL(πNm ‖ φδ,1)");
        let svg = label_svg("π_N", 12.0);
        assert!(svg.starts_with("π<tspan dy=\"3.36\""), "{svg}");
        assert!(label_width("π_N", 12.0) < label_width("πN", 12.0));
    }

    #[test]
    fn wrapping_keeps_every_word_and_each_line_fits() {
        let text = "p = (1/5, 3/10, 1/2), q = (2/3, 1/9, 2/9), N from 1 to 64, exact laws";
        let lines = wrap(text, 12.0, 150.0);
        assert!(lines.len() > 1);
        assert_eq!(lines.join(" "), text);
        assert!(lines.iter().all(|l| label_width(l, 12.0) <= 150.0));
    }

    #[test]
    fn decade_ticks_are_whole_and_labelled_as_powers() {
        let t = ticks(-603.0, -1.0, Scale::Decades, 8);
        assert!(t.len() <= 8 && t.len() >= 3, "{t:?}");
        assert!(t.iter().all(|v| v.fract() == 0.0));
        assert_eq!(tick_label(-3.0, Scale::Decades), "10⁻³");
        assert_eq!(tick_label(0.0, Scale::Decades), "1");
        assert_eq!(tick_label(2.5e-7, Scale::Linear), "2.5·10⁻⁷");
    }

    #[test]
    fn a_size_too_small_is_refused_with_what_it_needs() {
        let figure = Figure {
            title: "t".into(),
            caption: String::new(),
            panels: vec![Panel::default(), Panel::default()],
            columns: 1,
            size: FigureSize::new(None, Some(240.0)).unwrap(),
        };
        let e = figure.render().unwrap_err().to_string();
        assert!(e.contains("needs at least"), "{e}");
        assert!(FigureSize::new(Some(100.0), None).is_err());
    }
}
