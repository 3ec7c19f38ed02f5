//! The ternary simplex picture of 003's Figure 1 (`bestofn figure simplex`). Vertex `i` is the
//! point mass on letter `i`; a pmf `v` sits at `v0 A + v1 B + v2 C` for the triangle's corners.
//! Curves carry `data-series`, points `data-point` and `data-bary` (their coordinates), so a
//! test can map every drawn pixel back to the simplex.

use std::fmt::Write;

use crate::report::graphics::FONT_FAMILY;
use crate::report::svg::{label_svg, FigureSize};
use crate::tilt::simplex::{Point, SimplexFigure};

/// A point of the simplex in pixel arithmetic: its coordinates as floats.
pub type Bary = [f64; 3];

/// The float coordinates of an exact point (the drawing's only rounding).
fn bary(v: &Point) -> Bary {
    [v[0].to_f64(), v[1].to_f64(), v[2].to_f64()]
}

const WIDTH: f64 = 1040.0;
const HEIGHT: f64 = 560.0;
const SIDE: f64 = 460.0;
const ORIGIN: (f64, f64) = (130.0, 500.0);

/// The KL contour's series name (label markup of [`crate::report::svg`]).
pub const SERIES_CONTOUR: &str = "KL contour KL(v ‖ p) = δ";
/// The aligned family's series name.
pub const SERIES_FAMILY: &str = "aligned family T(q, p, α)";
/// The constant-reward line's series name.
pub const SERIES_LINE: &str = "constant reward through φ_δ";
/// The reference point's name.
pub const POINT_P: &str = "p (reference)";
/// The alignment point's name.
pub const POINT_Q: &str = "q (alignment)";
/// The optimum's name.
pub const POINT_PHI: &str = "φ_δ (optimum)";
/// The best-of-N point's name.
pub const POINT_BON: &str = "best-of-N expected type";

/// Corners: letter 0 bottom left, letter 1 bottom right, letter 2 on top.
fn corner(i: usize) -> (f64, f64) {
    let h = SIDE * 3f64.sqrt() / 2.0;
    [
        (ORIGIN.0, ORIGIN.1),
        (ORIGIN.0 + SIDE, ORIGIN.1),
        (ORIGIN.0 + SIDE / 2.0, ORIGIN.1 - h),
    ][i]
}

/// The pixel of a point of the simplex.
pub fn pixel(v: &Bary) -> (f64, f64) {
    (0..3).fold((0.0, 0.0), |(x, y), i| {
        let (cx, cy) = corner(i);
        (x + v[i] * cx, y + v[i] * cy)
    })
}

/// The point of the simplex at a pixel (the inverse of [`pixel`]).
pub fn bary_of_pixel(x: f64, y: f64) -> Bary {
    let h = SIDE * 3f64.sqrt() / 2.0;
    let v2 = (ORIGIN.1 - y) / h;
    let v1 = (x - ORIGIN.0) / SIDE - v2 / 2.0;
    [1.0 - v1 - v2, v1, v2]
}

const GREEN: &str = "#2ca02c";
const BLUE: &str = "#1f77b4";
const BLACK: &str = "#222222";

fn polyline(out: &mut String, name: &str, points: &[Point], colour: &str, dash: &str) {
    let coords: Vec<String> = points
        .iter()
        .map(|v| {
            let (x, y) = pixel(&bary(v));
            format!("{x:.3},{y:.3}")
        })
        .collect();
    writeln!(
        out,
        r#"<polyline data-series="{name}" points="{}" fill="none" stroke="{colour}" stroke-width="2.2"{dash}/>"#,
        coords.join(" ")
    )
    .unwrap();
}

fn marker(out: &mut String, name: &str, v: &Point, colour: &str, shape: &str) {
    let v = bary(v);
    let (x, y) = pixel(&v);
    let bary = format!("{:.9},{:.9},{:.9}", v[0], v[1], v[2]);
    shape_at(
        out,
        (x, y),
        &format!(r#"data-point="{name}" data-bary="{bary}""#),
        colour,
        shape,
    );
}

/// A marker of `shape` at a pixel, with extra attributes.
fn shape_at(out: &mut String, (x, y): (f64, f64), attrs: &str, colour: &str, shape: &str) {
    match shape {
        "square" => writeln!(
            out,
            r#"<rect {attrs} x="{:.3}" y="{:.3}" width="10" height="10" fill="{colour}" stroke="white"/>"#,
            x - 5.0,
            y - 5.0
        ),
        "diamond" => writeln!(
            out,
            r#"<path {attrs} d="M {x:.3} {:.3} L {:.3} {y:.3} L {x:.3} {:.3} L {:.3} {y:.3} Z" fill="{colour}" stroke="white"/>"#,
            y - 7.0,
            x + 7.0,
            y + 7.0,
            x - 7.0
        ),
        _ => writeln!(
            out,
            r#"<circle {attrs} cx="{x:.3}" cy="{y:.3}" r="5.5" fill="{colour}" stroke="white"/>"#
        ),
    }
    .unwrap();
}

/// The figure as SVG at its own size (1040 x 560), every element carrying its data.
pub fn render(fig: &SimplexFigure) -> String {
    render_sized(fig, FigureSize::default())
}

/// The figure as SVG at the size asked for: the drawing is scaled to fit, its proportions
/// kept (a height alone sets the width in proportion).
pub fn render_sized(fig: &SimplexFigure, size: FigureSize) -> String {
    let (width, height) = match (size.width, size.height) {
        (None, None) => (WIDTH, HEIGHT),
        (Some(w), None) => (w, w * HEIGHT / WIDTH),
        (None, Some(h)) => (h * WIDTH / HEIGHT, h),
        (Some(w), Some(h)) => (w, h),
    };
    let mut out = String::new();
    writeln!(
        out,
        r#"<svg xmlns="http://www.w3.org/2000/svg" width="{width:.0}" height="{height:.0}" viewBox="0 0 {WIDTH} {HEIGHT}" font-family="{FONT_FAMILY}, sans-serif" font-size="13">"#
    )
    .unwrap();
    writeln!(out, r#"<rect width="100%" height="100%" fill="white"/>"#).unwrap();
    writeln!(
        out,
        r#"<text x="{}" y="26" text-anchor="middle" font-size="15">Ternary simplex: δ = {} per letter, m = {}, N = round(exp(mδ)) = {}</text>"#,
        WIDTH / 2.0,
        fig.delta,
        fig.m,
        fig.n
    )
    .unwrap();
    let (a, b, c) = (corner(0), corner(1), corner(2));
    writeln!(
        out,
        r##"<polygon points="{:.3},{:.3} {:.3},{:.3} {:.3},{:.3}" fill="#fafafa" stroke="#555" stroke-width="1.5"/>"##,
        a.0, a.1, b.0, b.1, c.0, c.1
    )
    .unwrap();
    for (i, (x, y), anchor, dy) in [
        (0, a, "middle", 24.0),
        (1, b, "middle", 24.0),
        (2, c, "middle", -10.0),
    ] {
        writeln!(
            out,
            r#"<text x="{:.3}" y="{:.3}" text-anchor="{anchor}">letter {} (p = {:.3}, q = {:.3})</text>"#,
            x,
            y + dy,
            i,
            fig.p[i].to_f64(),
            fig.q[i].to_f64()
        )
        .unwrap();
    }
    polyline(&mut out, SERIES_CONTOUR, &fig.kl_contour, GREEN, "");
    polyline(
        &mut out,
        SERIES_LINE,
        &fig.reward_line,
        BLACK,
        r#" stroke-dasharray="6,4""#,
    );
    polyline(&mut out, SERIES_FAMILY, &fig.aligned_family, BLUE, "");
    marker(&mut out, POINT_P, &fig.p, "#444444", "circle");
    marker(&mut out, POINT_Q, &fig.q, "#9467bd", "square");
    marker(&mut out, POINT_PHI, &fig.phi_delta, "#d62728", "circle");
    marker(&mut out, POINT_BON, &fig.bon_type, "#ff7f0e", "diamond");
    // Legend.
    let x = ORIGIN.0 + SIDE + 40.0;
    let mut y = 90.0;
    for (name, colour, dash) in [
        (SERIES_CONTOUR, GREEN, ""),
        (SERIES_LINE, BLACK, r#" stroke-dasharray="6,4""#),
        (SERIES_FAMILY, BLUE, ""),
    ] {
        writeln!(
            out,
            r#"<line x1="{x}" y1="{y}" x2="{}" y2="{y}" stroke="{colour}" stroke-width="3"{dash}/>"#,
            x + 24.0
        )
        .unwrap();
        writeln!(
            out,
            r#"<text x="{}" y="{}">{}</text>"#,
            x + 30.0,
            y + 4.0,
            legend_text(name)
        )
        .unwrap();
        y += 24.0;
    }
    for (name, colour, v, shape) in [
        (POINT_P, "#444444", &fig.p, "circle"),
        (POINT_Q, "#9467bd", &fig.q, "square"),
        (POINT_PHI, "#d62728", &fig.phi_delta, "circle"),
        (POINT_BON, "#ff7f0e", &fig.bon_type, "diamond"),
    ] {
        shape_at(&mut out, (x + 12.0, y), r#"class="legend""#, colour, shape);
        writeln!(
            out,
            r#"<text x="{}" y="{}">{} ({:.3}, {:.3}, {:.3})</text>"#,
            x + 30.0,
            y + 4.0,
            legend_text(name),
            v[0].to_f64(),
            v[1].to_f64(),
            v[2].to_f64()
        )
        .unwrap();
        y += 24.0;
    }
    writeln!(out, "</svg>").unwrap();
    out
}

/// The figure's two computed points to five decimals, as `figure simplex` prints them.
pub fn points_line(fig: &SimplexFigure) -> String {
    let (phi, bon) = (bary(&fig.phi_delta), bary(&fig.bon_type));
    format!(
        "phi_delta = ({:.5}, {:.5}, {:.5}); best-of-N (m = {}, N = {}) expected type = ({:.5}, {:.5}, {:.5})",
        phi[0], phi[1], phi[2], fig.m, fig.n, bon[0], bon[1], bon[2]
    )
}

fn legend_text(name: &str) -> String {
    label_svg(name, 13.0)
}

/// The coordinates of the point named `name` in an SVG written by [`render`].
pub fn read_point(svg: &str, name: &str) -> Option<Bary> {
    let tag = format!(r#"data-point="{name}" data-bary=""#);
    let start = svg.find(&tag)? + tag.len();
    let text = &svg[start..start + svg[start..].find('"')?];
    let v: Vec<f64> = text.split(',').filter_map(|s| s.parse().ok()).collect();
    (v.len() == 3).then(|| [v[0], v[1], v[2]])
}

/// The points of curve `name`, mapped back from pixels to the simplex.
pub fn read_curve(svg: &str, name: &str) -> Option<Vec<Bary>> {
    let tag = format!(r#"data-series="{name}" points=""#);
    let start = svg.find(&tag)? + tag.len();
    let text = &svg[start..start + svg[start..].find('"')?];
    text.split_whitespace()
        .map(|pair| {
            let (x, y) = pair.split_once(',')?;
            Some(bary_of_pixel(x.parse().ok()?, y.parse().ok()?))
        })
        .collect()
}
