//! From SVG text to a file a paper can use: the one font every figure is set in (DejaVu Sans,
//! embedded, so a figure looks the same on every machine and needs no system font), text
//! widths for layout, and PDF (svg2pdf) and PNG (resvg) renderings. Pure Rust throughout.
//!
//! Floats live here only to place pixels.

use std::path::Path;
use std::sync::{Arc, OnceLock};

use resvg::tiny_skia;
use resvg::usvg;

use crate::error::{InputError, Result};

/// DejaVu Sans (Bitstream Vera licence, `fonts/LICENSE-DejaVu.txt`): it has every glyph the
/// figures use (π, φ, δ, ‖, ·, ≤, superscript digits).
const FONT: &[u8] = include_bytes!("fonts/DejaVuSans.ttf");

/// The family name every figure asks for.
pub const FONT_FAMILY: &str = "DejaVu Sans";

/// What a figure is written as, from its file name's extension.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ImageFormat {
    /// The SVG text itself.
    Svg,
    /// A one-page PDF, text as text (the font subset embedded).
    Pdf,
    /// A PNG at twice the figure's size (for screens and docs).
    Png,
}

impl ImageFormat {
    /// The format a path asks for: `.svg`, `.pdf` or `.png`; `flag` names the option in the
    /// error.
    pub fn of_path(path: &Path, flag: &str) -> Result<ImageFormat> {
        let ext = path
            .extension()
            .and_then(|e| e.to_str())
            .map(str::to_ascii_lowercase);
        match ext.as_deref() {
            Some("svg") => Ok(ImageFormat::Svg),
            Some("pdf") => Ok(ImageFormat::Pdf),
            Some("png") => Ok(ImageFormat::Png),
            _ => Err(InputError::new(format!(
                "{flag}: '{}' must end in .svg, .pdf or .png (the extension chooses the format)",
                path.display()
            ))),
        }
    }
}

fn face() -> &'static ttf_parser::Face<'static> {
    static FACE: OnceLock<ttf_parser::Face<'static>> = OnceLock::new();
    FACE.get_or_init(|| ttf_parser::Face::parse(FONT, 0).expect("the embedded font parses"))
}

/// The advance width of `text` set at `size` px in the figures' font (a missing glyph counts
/// as the font's average width).
pub fn text_width(text: &str, size: f64) -> f64 {
    let face = face();
    let units = f64::from(face.units_per_em());
    let fallback = 0.55 * units;
    let total: f64 = text
        .chars()
        .map(|c| {
            face.glyph_index(c)
                .and_then(|g| face.glyph_hor_advance(g))
                .map_or(fallback, f64::from)
        })
        .sum();
    total / units * size
}

fn options() -> usvg::Options<'static> {
    static FONTS: OnceLock<Arc<usvg::fontdb::Database>> = OnceLock::new();
    let fonts = FONTS.get_or_init(|| {
        let mut db = usvg::fontdb::Database::new();
        db.load_font_data(FONT.to_vec());
        db.set_sans_serif_family(FONT_FAMILY);
        Arc::new(db)
    });
    usvg::Options {
        fontdb: fonts.clone(),
        font_family: FONT_FAMILY.into(),
        ..usvg::Options::default()
    }
}

/// The SVG parsed as a renderer sees it (text laid out in the embedded font).
pub fn tree(svg: &str) -> Result<usvg::Tree> {
    usvg::Tree::from_str(svg, &options())
        .map_err(|e| InputError::new(format!("the figure is not valid SVG: {e}")))
}

/// The figure rasterised at `scale` (2 for docs).
pub fn rasterise(svg: &str, scale: f32) -> Result<tiny_skia::Pixmap> {
    let tree = tree(svg)?;
    let size = tree
        .size()
        .to_int_size()
        .scale_by(scale)
        .ok_or_else(|| InputError::new("the figure has an empty canvas".to_string()))?;
    let mut pixmap = tiny_skia::Pixmap::new(size.width(), size.height())
        .ok_or_else(|| InputError::new("the figure is too large to rasterise".to_string()))?;
    resvg::render(
        &tree,
        tiny_skia::Transform::from_scale(scale, scale),
        &mut pixmap.as_mut(),
    );
    Ok(pixmap)
}

/// The figure's bytes in `format`.
pub fn encode(svg: &str, format: ImageFormat) -> Result<Vec<u8>> {
    match format {
        ImageFormat::Svg => Ok(svg.as_bytes().to_vec()),
        ImageFormat::Png => rasterise(svg, 2.0)?
            .encode_png()
            .map_err(|e| InputError::new(format!("cannot encode the PNG: {e}"))),
        ImageFormat::Pdf => svg2pdf::to_pdf(
            &tree(svg)?,
            svg2pdf::ConversionOptions::default(),
            svg2pdf::PageOptions::default(),
        )
        .map_err(|e| InputError::new(format!("cannot convert the figure to PDF: {e}"))),
    }
}

/// A piece of text as laid out: its characters and its box in canvas pixels
/// `(x0, y0, x1, y1)`.
#[derive(Debug, Clone, PartialEq)]
pub struct TextBox {
    /// The text.
    pub text: String,
    /// Left, top, right, bottom.
    pub bounds: (f32, f32, f32, f32),
}

/// Every text element of the figure with the box the renderer gives it (tests check that none
/// is clipped by the canvas and that none overlaps another).
pub fn text_boxes(svg: &str) -> Result<Vec<TextBox>> {
    fn walk(group: &usvg::Group, out: &mut Vec<TextBox>) {
        for node in group.children() {
            match node {
                usvg::Node::Group(g) => walk(g, out),
                usvg::Node::Text(t) => {
                    let b = t.abs_bounding_box();
                    out.push(TextBox {
                        text: t.chunks().iter().map(|c| c.text()).collect(),
                        bounds: (b.left(), b.top(), b.right(), b.bottom()),
                    });
                }
                _ => {}
            }
        }
    }
    let tree = tree(svg)?;
    let mut out = Vec::new();
    walk(tree.root(), &mut out);
    Ok(out)
}

/// The canvas size in pixels.
pub fn canvas(svg: &str) -> Result<(f32, f32)> {
    let size = tree(svg)?.size();
    Ok((size.width(), size.height()))
}
