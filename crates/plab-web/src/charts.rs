//! The dashboard's charts, drawn on the server as SVG with plotters (no
//! JavaScript, nothing from a CDN). Each chart comes with a sentence a screen
//! reader gives instead, and its legend is HTML under the chart, outside the
//! plot. The SVG scales to its box (a `viewBox`, no fixed width): its text is
//! drawn large in the chart's own coordinates so that it still reads at
//! 12 px or more on a phone 390 px wide, with few labels on each axis.
use plab_app::report::Report;
use plotters::prelude::*;

/// One chart: the SVG markup, its text alternative and its legend.
pub struct Chart {
    /// The figure's id on the page.
    pub id: &'static str,
    pub title: &'static str,
    pub svg: String,
    pub alt: String,
    pub legend: Vec<LegendEntry>,
}

/// One line of a chart's legend: what the line shows and a sample of it (SVG).
pub struct LegendEntry {
    pub label: &'static str,
    pub sample: String,
}

/// The chart's own coordinates. On a phone 390 px wide the chart is drawn
/// about 330 px wide (the page's and the figure's padding taken off), so a
/// unit is at least 0.78 px. Plotters writes a font of `TEXT` as
/// `TEXT / 1.24` units (16.1), which reads at 12.6 px or more there; on a desktop two charts share the width and each is
/// capped (app.css).
pub(crate) const SIZE: (u32, u32) = (420, 250);
pub(crate) const TEXT: u32 = 20;

/// Text colour: the page's ink, 15:1 on white.
pub(crate) const INK: RGBColor = RGBColor(29, 36, 51);
pub(crate) const GRID: RGBColor = RGBColor(221, 226, 236);
pub(crate) const HELD: RGBColor = RGBColor(23, 105, 58);
const SCHEDULED: RGBColor = RGBColor(11, 92, 173);
const RISK: RGBColor = RGBColor(163, 38, 27);

/// How a line is drawn, so that lines differ by more than colour.
#[derive(Clone, Copy)]
enum Stroke {
    Solid,
    Dashed,
}

struct Series<'a> {
    label: &'static str,
    color: RGBColor,
    stroke: Stroke,
    points: &'a [usize],
}

/// Sessions scheduled and held, fortnight by fortnight.
pub fn sessions_over_time(r: &Report) -> Chart {
    let scheduled: Vec<usize> = r.fortnights.iter().map(|f| f.scheduled).collect();
    let held: Vec<usize> = r.fortnights.iter().map(|f| f.held).collect();
    let alt = format!(
        "Sessions per fortnight over {}: {} scheduled in all, {} held, {} cancelled, {} still planned.",
        fortnights(r.fortnights.len()),
        r.sessions.scheduled,
        r.sessions.held,
        r.sessions.cancelled,
        r.sessions.planned
    );
    let series = [
        Series { label: "scheduled (any outcome)", color: SCHEDULED, stroke: Stroke::Dashed, points: &scheduled },
        Series { label: "held", color: HELD, stroke: Stroke::Solid, points: &held },
    ];
    chart(("chart-sessions", "Sessions per fortnight"), r, &series, alt)
}

/// Pairs showing any signal, at the end of each fortnight.
pub fn signals_over_time(r: &Report) -> Chart {
    let risk: Vec<usize> = r.fortnights.iter().map(|f| f.pairs_at_risk).collect();
    let peak = risk.iter().copied().max().unwrap_or(0);
    let alt = format!(
        "Pairs at risk per fortnight: {} now, at most {} at the end of one fortnight; now {} expert reflex, {} mentor apprehension, {} unfocused.",
        r.at_risk.len(),
        peak,
        r.signals.expert_reflex,
        r.signals.mentor_apprehension,
        r.signals.unfocused
    );
    let heading = ("chart-signals", "Pairs at risk at the end of each fortnight");
    chart(heading, r, &[Series { label: "pairs at risk", color: RISK, stroke: Stroke::Solid, points: &risk }], alt)
}

fn fortnights(n: usize) -> String {
    if n == 1 { "1 fortnight".to_owned() } else { format!("{n} fortnights") }
}

fn chart((id, title): (&'static str, &'static str), r: &Report, series: &[Series<'_>], alt: String) -> Chart {
    let starts: Vec<String> = r.fortnights.iter().map(|f| short_date(&f.starts)).collect();
    let mut svg = String::new();
    // Drawing into a String cannot fail for lack of space; a failure leaves an empty chart.
    let _ = draw(&mut svg, &starts, series);
    let legend = series.iter().map(|s| LegendEntry { label: s.label, sample: sample(s) }).collect();
    Chart { id, title, svg: responsive(&svg), alt, legend }
}

/// `2026-10-12` as an axis shows it: `12 Oct`.
fn short_date(iso: &str) -> String {
    let format = time::macros::format_description!("[day padding:none] [month repr:short]");
    plab_domain::Date::parse(iso).ok().and_then(|d| d.midnight_utc().format(format).ok()).unwrap_or_default()
}

fn draw(svg: &mut String, starts: &[String], series: &[Series<'_>]) -> Option<()> {
    let bins = series.iter().map(|s| s.points.len()).max().unwrap_or(0).max(2);
    let top = series.iter().flat_map(|s| s.points.iter().copied()).max().unwrap_or(0).max(1);
    let root = SVGBackend::with_string(svg, SIZE).into_drawing_area();
    root.fill(&WHITE).ok()?;
    let text = ("sans-serif", TEXT).into_font().color(&INK);
    let mut chart = ChartBuilder::on(&root)
        .margin(8)
        .margin_right(34)
        .x_label_area_size(52)
        .y_label_area_size(48)
        .build_cartesian_2d(0..bins - 1, 0..top + top / 10 + 1)
        .ok()?;
    let label_of = |i: &usize| starts.get(*i).cloned().unwrap_or_default();
    chart
        .configure_mesh()
        .disable_x_mesh()
        .light_line_style(GRID)
        .bold_line_style(GRID)
        .axis_style(INK)
        .x_labels(4)
        .y_labels(5)
        .x_label_formatter(&label_of)
        .label_style(text.clone())
        .axis_desc_style(text)
        .x_desc("fortnight starting")
        .draw()
        .ok()?;
    for s in series {
        let style = s.color.stroke_width(3);
        let points = s.points.iter().copied().enumerate();
        match s.stroke {
            Stroke::Solid => chart.draw_series(LineSeries::new(points, style)).ok()?,
            Stroke::Dashed => chart.draw_series(DashedLineSeries::new(points, 8, 5, style)).ok()?,
        };
    }
    root.present().ok()?;
    Some(())
}

/// The SVG made to scale with its box: plotters writes a fixed `width` and
/// `height` beside the `viewBox`; the page sets the width instead.
pub(crate) fn responsive(svg: &str) -> String {
    let (w, h) = SIZE;
    svg.replacen(
        &format!("<svg width=\"{w}\" height=\"{h}\" "),
        "<svg width=\"100%\" focusable=\"false\" aria-hidden=\"true\" ",
        1,
    )
}

/// A short sample of a series' line, for the HTML legend.
fn sample(s: &Series<'_>) -> String {
    let RGBColor(r, g, b) = s.color;
    let dash = match s.stroke {
        Stroke::Solid => "",
        Stroke::Dashed => " stroke-dasharray=\"8 5\"",
    };
    format!(
        "<svg class=\"legend-sample\" viewBox=\"0 0 32 8\" aria-hidden=\"true\" focusable=\"false\"><line x1=\"0\" y1=\"4\" x2=\"32\" y2=\"4\" stroke=\"#{r:02x}{g:02x}{b:02x}\" stroke-width=\"3\"{dash}/></svg>"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_axis_date_is_day_and_month() {
        assert_eq!(short_date("2026-10-12"), "12 Oct");
        assert_eq!(short_date("nonsense"), "");
    }
}
