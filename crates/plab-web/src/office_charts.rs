//! The program office's charts, drawn like the dashboard's (`charts.rs`):
//! SVG from plotters on the server, scaled to its box, each with a sentence
//! a screen reader gives instead. Bars, one per program or per theme; every
//! figure drawn is one the report already shows (counts, never a person).
use crate::charts::{Chart, GRID, HELD as BAR, INK, SIZE, TEXT, responsive};
use plab_app::office::OfficeReport;
use plotters::prelude::*;

pub fn charts(r: &OfficeReport) -> Vec<Chart> {
    let held: Vec<(String, usize)> = r.programs.iter().map(|p| (format!("#{}", p.program), p.sessions_held)).collect();
    let held_alt = format!(
        "Sessions held per program: {}.",
        r.programs.iter().map(|p| format!("{} {}", p.name, p.sessions_held)).collect::<Vec<_>>().join(", ")
    );
    let themes: Vec<(String, usize)> = r.themes.iter().map(|t| (short_theme(&t.theme), t.insights)).collect();
    let themes_alt = format!(
        "Insights logged by theme across the programs: {}.",
        r.themes.iter().map(|t| format!("{} {}", t.label, t.insights)).collect::<Vec<_>>().join(", ")
    );
    vec![
        chart("chart-office-sessions", "Sessions held per program", &held, held_alt),
        chart("chart-office-themes", "Insights by theme", &themes, themes_alt),
    ]
}

fn short_theme(code: &str) -> String {
    match code {
        "technology" => "tech",
        "market.brand" => "brand",
        "market.product" => "product",
        "market.competitors" => "rivals",
        "culture.purpose" => "purpose",
        "culture.safety" => "safety",
        "culture.career" => "career",
        other => other,
    }
    .to_owned()
}

fn chart(id: &'static str, title: &'static str, bars: &[(String, usize)], alt: String) -> Chart {
    let mut svg = String::new();
    // Drawing into a String cannot fail for lack of space; a failure leaves an empty chart.
    let _ = draw(&mut svg, bars);
    Chart { id, title, svg: responsive(&svg), alt, legend: Vec::new() }
}

fn draw(svg: &mut String, bars: &[(String, usize)]) -> Option<()> {
    let n = bars.len().max(1);
    let top = bars.iter().map(|b| b.1).max().unwrap_or(0).max(1);
    let root = SVGBackend::with_string(svg, SIZE).into_drawing_area();
    root.fill(&WHITE).ok()?;
    let text = ("sans-serif", TEXT).into_font().color(&INK);
    let mut chart = ChartBuilder::on(&root)
        .margin(8)
        .x_label_area_size(40)
        .y_label_area_size(48)
        .build_cartesian_2d((0..n).into_segmented(), 0..top + top / 10 + 1)
        .ok()?;
    let label_of = |v: &SegmentValue<usize>| match v {
        SegmentValue::CenterOf(i) | SegmentValue::Exact(i) => bars.get(*i).map(|b| b.0.clone()).unwrap_or_default(),
        SegmentValue::Last => String::new(),
    };
    chart
        .configure_mesh()
        .disable_x_mesh()
        .light_line_style(GRID)
        .bold_line_style(GRID)
        .axis_style(INK)
        .y_labels(5)
        .x_labels(n)
        .x_label_formatter(&label_of)
        .label_style(text)
        .draw()
        .ok()?;
    chart
        .draw_series(bars.iter().enumerate().map(|(i, b)| {
            Rectangle::new([(SegmentValue::Exact(i), 0), (SegmentValue::Exact(i + 1), b.1)], BAR.filled())
        }))
        .ok()?;
    root.present().ok()?;
    Some(())
}
