//! Small hand-written SVG charts: line plots with axes, ticks and a legend, and the ternary
//! simplex. Floats live here only to place pixels; every number drawn comes from an exact value
//! or the midpoint of an enclosure computed upstream.
//!
//! Each series is one `<polyline>` with `data-series="name"`, and the plot area carries its
//! data ranges (`data-xmin` ...), so a test can map the drawn points back to the data.

use std::fmt::Write;

const WIDTH: f64 = 760.0;
const HEIGHT: f64 = 480.0;
const LEFT: f64 = 80.0;
const RIGHT: f64 = 200.0;
const TOP: f64 = 40.0;
const BOTTOM: f64 = 60.0;
/// The palette, one colour per series.
pub const COLOURS: &[&str] = &[
    "#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#17becf", "#8c564b", "#e377c2",
    "#7f7f7f", "#bcbd22",
];

/// Pixels per character of legend text (12 px sans-serif), to size the legend column.
const LEGEND_CHAR: f64 = 7.0;

#[derive(Debug, Clone, Default)]
/// One line of a plot.
pub struct Series {
    /// The legend's name (and `data-series`).
    pub name: String,
    /// The points, in data coordinates.
    pub points: Vec<(f64, f64)>,
    /// Draw markers at the points as well as the line.
    pub markers: bool,
    /// Markers only, no line, drawn as squares (a second arithmetic beside the lines).
    pub squares_only: bool,
    /// Palette index (series sharing a quantity share a colour); default: the series index.
    pub colour: Option<usize>,
}

#[derive(Debug, Clone)]
/// A line plot with a legend; every series carries its data in the SVG.
pub struct LinePlot {
    /// The title.
    pub title: String,
    /// The x axis' label.
    pub x_label: String,
    /// The y axis' label.
    pub y_label: String,
    /// The series.
    pub series: Vec<Series>,
}

fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

/// "Nice" tick positions covering `[lo, hi]`.
fn ticks(lo: f64, hi: f64) -> Vec<f64> {
    let span = (hi - lo).max(1e-300);
    let raw = span / 6.0;
    let magnitude = 10f64.powf(raw.log10().floor());
    let step = [1.0, 2.0, 5.0, 10.0]
        .iter()
        .map(|f| f * magnitude)
        .find(|s| span / s <= 8.0)
        .unwrap_or(10.0 * magnitude);
    let first = (lo / step).ceil() * step;
    (0..20)
        .map(|i| first + i as f64 * step)
        .take_while(|t| *t <= hi + step * 1e-9)
        .collect()
}

fn label(v: f64) -> String {
    if v == 0.0 {
        "0".into()
    } else if v.abs() >= 1e4 || v.abs() < 1e-3 {
        format!("{v:.1e}")
    } else {
        let s = format!("{v:.4}");
        s.trim_end_matches('0').trim_end_matches('.').to_string()
    }
}

impl LinePlot {
    /// The plot as SVG text.
    pub fn render(&self) -> String {
        let all: Vec<(f64, f64)> = self
            .series
            .iter()
            .flat_map(|s| s.points.iter().copied())
            .filter(|(x, y)| x.is_finite() && y.is_finite())
            .collect();
        let (mut xmin, mut xmax, mut ymin, mut ymax) = all.iter().fold(
            (
                f64::INFINITY,
                f64::NEG_INFINITY,
                f64::INFINITY,
                f64::NEG_INFINITY,
            ),
            |(a, b, c, d), &(x, y)| (a.min(x), b.max(x), c.min(y), d.max(y)),
        );
        if all.is_empty() {
            (xmin, xmax, ymin, ymax) = (0.0, 1.0, 0.0, 1.0);
        }
        if xmax <= xmin {
            xmax = xmin + 1.0;
        }
        if ymax <= ymin {
            ymax = ymin + 1.0;
        }
        let pad = (ymax - ymin) * 0.05;
        let (ymin, ymax) = (ymin - pad, ymax + pad);
        let plot_w = WIDTH - LEFT - RIGHT;
        // The legend column grows with the longest name, so no label is cut off.
        let longest = self
            .series
            .iter()
            .map(|s| s.name.chars().count())
            .max()
            .unwrap_or(0) as f64;
        let width = (LEFT + plot_w + 14.0 + 28.0 + LEGEND_CHAR * longest + 12.0).max(WIDTH);
        let plot_h = HEIGHT - TOP - BOTTOM;
        let px = |x: f64| LEFT + (x - xmin) / (xmax - xmin) * plot_w;
        let py = |y: f64| TOP + plot_h - (y - ymin) / (ymax - ymin) * plot_h;
        let mut out = String::new();
        writeln!(
            out,
            r#"<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{HEIGHT}" viewBox="0 0 {width} {HEIGHT}" font-family="sans-serif" font-size="12">"#
        )
        .unwrap();
        writeln!(out, r#"<rect width="100%" height="100%" fill="white"/>"#).unwrap();
        writeln!(
            out,
            r#"<text x="{}" y="22" text-anchor="middle" font-size="15">{}</text>"#,
            LEFT + plot_w / 2.0,
            escape(&self.title)
        )
        .unwrap();
        writeln!(
            out,
            r#"<g class="plot-area" data-xmin="{xmin}" data-xmax="{xmax}" data-ymin="{ymin}" data-ymax="{ymax}" data-left="{LEFT}" data-top="{TOP}" data-width="{plot_w}" data-height="{plot_h}">"#
        )
        .unwrap();
        writeln!(
            out,
            r##"<rect x="{LEFT}" y="{TOP}" width="{plot_w}" height="{plot_h}" fill="none" stroke="#333"/>"##
        )
        .unwrap();
        for t in ticks(xmin, xmax) {
            let x = px(t);
            writeln!(
                out,
                r##"<line x1="{x:.2}" y1="{}" x2="{x:.2}" y2="{}" stroke="#ddd"/>"##,
                TOP,
                TOP + plot_h
            )
            .unwrap();
            writeln!(
                out,
                r#"<text x="{x:.2}" y="{}" text-anchor="middle">{}</text>"#,
                TOP + plot_h + 16.0,
                label(t)
            )
            .unwrap();
        }
        for t in ticks(ymin, ymax) {
            let y = py(t);
            writeln!(
                out,
                r##"<line x1="{LEFT}" y1="{y:.2}" x2="{}" y2="{y:.2}" stroke="#ddd"/>"##,
                LEFT + plot_w
            )
            .unwrap();
            writeln!(
                out,
                r#"<text x="{}" y="{:.2}" text-anchor="end">{}</text>"#,
                LEFT - 6.0,
                y + 4.0,
                label(t)
            )
            .unwrap();
        }
        for (i, s) in self.series.iter().enumerate() {
            let colour = COLOURS[s.colour.unwrap_or(i) % COLOURS.len()];
            let points: Vec<String> = s
                .points
                .iter()
                .filter(|(x, y)| x.is_finite() && y.is_finite())
                .map(|&(x, y)| format!("{:.3},{:.3}", px(x), py(y)))
                .collect();
            // Markers-only series keep the polyline (for the tests' read-back) but draw no line.
            let stroke_width = if s.squares_only { 0 } else { 2 };
            writeln!(
                out,
                r#"<polyline data-series="{}" points="{}" fill="none" stroke="{colour}" stroke-width="{stroke_width}"/>"#,
                escape(&s.name),
                points.join(" ")
            )
            .unwrap();
            if s.squares_only {
                for p in &points {
                    let (x, y) = p.split_once(',').unwrap();
                    let (x, y): (f64, f64) = (x.parse().unwrap(), y.parse().unwrap());
                    writeln!(
                        out,
                        r##"<rect x="{:.3}" y="{:.3}" width="8" height="8" fill="none" stroke="{colour}" stroke-width="2"/>"##,
                        x - 4.0,
                        y - 4.0
                    )
                    .unwrap();
                }
            } else if s.markers {
                for p in &points {
                    let (x, y) = p.split_once(',').unwrap();
                    writeln!(
                        out,
                        r#"<circle cx="{x}" cy="{y}" r="2.5" fill="{colour}"/>"#
                    )
                    .unwrap();
                }
            }
        }
        writeln!(out, "</g>").unwrap();
        writeln!(
            out,
            r#"<text x="{}" y="{}" text-anchor="middle">{}</text>"#,
            LEFT + plot_w / 2.0,
            HEIGHT - 18.0,
            escape(&self.x_label)
        )
        .unwrap();
        writeln!(
            out,
            r#"<text x="18" y="{}" text-anchor="middle" transform="rotate(-90 18 {})">{}</text>"#,
            TOP + plot_h / 2.0,
            TOP + plot_h / 2.0,
            escape(&self.y_label)
        )
        .unwrap();
        for (i, s) in self.series.iter().enumerate() {
            let y = TOP + 10.0 + i as f64 * 20.0;
            let x = LEFT + plot_w + 14.0;
            let colour = COLOURS[s.colour.unwrap_or(i) % COLOURS.len()];
            if s.squares_only {
                writeln!(
                    out,
                    r##"<rect x="{}" y="{}" width="8" height="8" fill="none" stroke="{colour}" stroke-width="2"/>"##,
                    x + 7.0,
                    y - 4.0
                )
                .unwrap();
            } else {
                writeln!(
                    out,
                    r#"<line x1="{x}" y1="{y}" x2="{}" y2="{y}" stroke="{colour}" stroke-width="3"/>"#,
                    x + 22.0
                )
                .unwrap();
            }
            writeln!(
                out,
                r#"<text x="{}" y="{}">{}</text>"#,
                x + 28.0,
                y + 4.0,
                escape(&s.name)
            )
            .unwrap();
        }
        writeln!(out, "</svg>").unwrap();
        out
    }
}

/// Reads the data points of series `name` back from an SVG written by [`LinePlot::render`].
pub fn read_series(svg: &str, name: &str) -> Option<Vec<(f64, f64)>> {
    let attr = |tag: &str, key: &str| -> Option<f64> {
        let start = tag.find(&format!("{key}=\""))? + key.len() + 2;
        tag[start..].split('"').next()?.parse().ok()
    };
    let area_start = svg.find("<g class=\"plot-area\"")?;
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
    let marker = format!("data-series=\"{}\" points=\"", escape(name));
    let start = svg.find(&marker)? + marker.len();
    let points = svg[start..].split('"').next()?;
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
