//! The figures of the README, rendered as a reader sees them: laid out by the renderer in the
//! embedded font, rasterised to PNG, converted to PDF. Every text is inside the canvas and
//! overlaps no other text; every series' colour is on the page; every panel draws something
//! or says why not; the one-flag PDF and PNG are real files; docs/figures/ holds the PNGs.

use std::collections::BTreeMap;
use std::path::Path;

use bestofn::report::graphics::{canvas, rasterise, text_boxes};

use crate::common::{bestofn, Scratch};

/// The README's figure commands (output file last), and narrow and short variants of them.
fn figure_commands() -> Vec<(&'static str, Vec<&'static str>)> {
    let asym = ["asymptotics", "cases/figure1-optimum.toml", "--m", "1..60"];
    let tradeoff = [
        "tradeoff",
        "--p",
        "1/5,3/10,1/2",
        "--q",
        "2/3,1/9,2/9",
        "--n-max",
        "64",
    ];
    let compare = ["compare", "cases/float-ln-tie.toml"];
    let simplex = ["figure", "simplex", "cases/figure1-optimum.toml"];
    let with = |base: &[&'static str], extra: &[&'static str]| -> Vec<&'static str> {
        base.iter().chain(extra).copied().collect()
    };
    vec![
        ("asymptotics", with(&asym, &["--plot"])),
        ("tradeoff-reward", with(&tradeoff, &["--plot"])),
        ("tradeoff-winrate", with(&tradeoff, &["--plot-winrate"])),
        ("compare", with(&compare, &["--plot"])),
        ("simplex", with(&simplex, &["-o"])),
        (
            "asymptotics-narrow",
            with(&asym, &["--width", "360", "--plot"]),
        ),
        (
            "tradeoff-narrow",
            with(&tradeoff, &["--width", "330", "--plot"]),
        ),
        (
            "compare-narrow",
            with(&compare, &["--width", "420", "--plot"]),
        ),
        (
            "compare-short",
            with(&compare, &["--height", "900", "--plot"]),
        ),
        ("simplex-small", with(&simplex, &["--width", "520", "-o"])),
    ]
}

fn draw(scratch: &Scratch, name: &str, args: &[&str], ext: &str) -> String {
    let path = scratch.path(&format!("{name}.{ext}"));
    let mut full: Vec<&str> = args.to_vec();
    full.push(&path);
    let out = bestofn(&full);
    assert!(
        out.status.success(),
        "bestofn {}: {}",
        full.join(" "),
        String::from_utf8_lossy(&out.stderr)
    );
    path
}

/// `#rrggbb` colours of the strokes and fills the SVG draws with.
fn colours(svg: &str) -> BTreeMap<String, usize> {
    let mut out = BTreeMap::new();
    for key in ["stroke=\"#", "fill=\"#"] {
        for piece in svg.split(key).skip(1) {
            // Six-digit colours only: the three-digit greys are text and frames.
            let Some(hex) = piece.get(..7).filter(|h| h.ends_with('"')).map(|h| &h[..6]) else {
                continue;
            };
            if hex != "ffffff" && !hex.starts_with("e4e4") {
                *out.entry(hex.to_ascii_lowercase()).or_insert(0) += 1;
            }
        }
    }
    out
}

fn check_layout(name: &str, svg: &str) {
    let (width, height) = canvas(svg).unwrap();
    let boxes = text_boxes(svg).unwrap();
    assert!(boxes.len() > 5, "{name}: only {} texts", boxes.len());
    for b in &boxes {
        let (x0, y0, x1, y1) = b.bounds;
        assert!(
            x0 >= -0.5 && y0 >= -0.5 && x1 <= width + 0.5 && y1 <= height + 0.5,
            "{name}: '{}' at {:?} is clipped by the {width}x{height} canvas",
            b.text,
            b.bounds
        );
    }
    for (i, a) in boxes.iter().enumerate() {
        for b in &boxes[i + 1..] {
            let (a0, b0) = (a.bounds, b.bounds);
            let overlap =
                a0.0 < b0.2 - 0.5 && b0.0 < a0.2 - 0.5 && a0.1 < b0.3 - 0.5 && b0.1 < a0.3 - 0.5;
            assert!(
                !overlap,
                "{name}: '{}' {:?} overlaps '{}' {:?}",
                a.text, a0, b.text, b0
            );
        }
    }
    // Every panel draws a series or says why it has none.
    for area in svg.split("<g class=\"plot-area\"").skip(1) {
        let area = &area[..area.find("</g>").unwrap()];
        let drawn = area.split("points=\"").skip(1).any(|p| !p.starts_with('"'));
        assert!(
            drawn || area.contains("<text"),
            "{name}: a panel with nothing drawn and no note"
        );
    }
    // Every colour the SVG draws with is on the rendered page.
    let pixmap = rasterise(svg, 2.0).unwrap();
    let mut seen: BTreeMap<String, usize> = BTreeMap::new();
    for p in pixmap.pixels() {
        let hex = format!("{:02x}{:02x}{:02x}", p.red(), p.green(), p.blue());
        *seen.entry(hex).or_insert(0) += 1;
    }
    for colour in colours(svg).keys() {
        let count = seen.get(colour).copied().unwrap_or(0);
        assert!(
            count >= 12,
            "{name}: the colour #{colour} is drawn but only {count} pixels show it"
        );
    }
}

#[test]
fn readme_figures_render_unclipped_with_every_series_visible() {
    let scratch = Scratch::new("figures");
    for (name, args) in figure_commands() {
        let path = draw(&scratch, name, &args, "svg");
        let svg = std::fs::read_to_string(&path).unwrap();
        check_layout(name, &svg);
    }
}

#[test]
fn one_flag_makes_a_pdf_or_a_png_and_a_bad_extension_is_refused() {
    let scratch = Scratch::new("figure-formats");
    let (name, args) = &figure_commands()[1];
    let svg = std::fs::read_to_string(draw(&scratch, name, args, "svg")).unwrap();
    let pdf = std::fs::read(draw(&scratch, name, args, "pdf")).unwrap();
    assert!(pdf.starts_with(b"%PDF-"), "not a PDF");
    assert!(pdf.len() > 5_000, "a PDF of {} bytes", pdf.len());
    let png = std::fs::read(draw(&scratch, name, args, "png")).unwrap();
    assert!(png.starts_with(b"\x89PNG\r\n\x1a\n"), "not a PNG");
    let decoded = resvg::tiny_skia::Pixmap::decode_png(&png).unwrap();
    let (w, h) = canvas(&svg).unwrap();
    assert_eq!(
        (decoded.width(), decoded.height()),
        ((2.0 * w).round() as u32, (2.0 * h).round() as u32)
    );
    let mut bad: Vec<&str> = args.clone();
    let target = scratch.path("reward.jpg");
    bad.push(&target);
    let out = bestofn(&bad);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("must end in .svg, .pdf or .png"), "{err}");
    assert!(!Path::new(&target).exists());
    let small = scratch.path("x.svg");
    let (flag, rest) = args.split_last().unwrap();
    let out = bestofn(&[rest, &["--height", "250", flag, &small]].concat());
    assert_eq!(out.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("needs at least"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn the_docs_show_the_readme_figures_as_png() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let readme = std::fs::read_to_string(root.join("README.md")).unwrap();
    let scratch = Scratch::new("figure-docs");
    for (name, args) in figure_commands().into_iter().take(5) {
        let png = root.join(format!("docs/figures/{name}.png"));
        let link = format!("(docs/figures/{name}.png)");
        assert!(readme.contains(&link), "README.md does not show {link}");
        let committed = resvg::tiny_skia::Pixmap::decode_png(&std::fs::read(&png).unwrap())
            .unwrap_or_else(|e| panic!("{}: {e}", png.display()));
        // The committed picture has the size today's code draws (a stale one would not).
        let svg = std::fs::read_to_string(draw(&scratch, name, &args, "svg")).unwrap();
        let fresh = rasterise(&svg, 2.0).unwrap();
        assert_eq!(
            (committed.width(), committed.height()),
            (fresh.width(), fresh.height()),
            "{}: regenerate it with scripts/figures.sh",
            png.display()
        );
    }
}
