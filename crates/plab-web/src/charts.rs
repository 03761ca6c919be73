//! The dashboard's charts, drawn on the server as SVG with plotters (no
//! JavaScript, nothing from a CDN). Each chart comes with a sentence a screen
//! reader gives instead, and the page shows the numbers in a table too.
use plab_app::report::Report;
use plotters::prelude::*;

/// One chart: the SVG markup and its text alternative.
pub struct Chart {
    pub svg: String,
    pub alt: String,
}

const SIZE: (u32, u32) = (640, 260);

/// One line of a chart: its legend, colour and (week, value) points.
type Series<'a> = (&'a str, RGBColor, &'a [(usize, usize)]);
const HELD: RGBColor = RGBColor(23, 105, 58);
const PLANNED: RGBColor = RGBColor(11, 92, 173);
const RISK: RGBColor = RGBColor(163, 38, 27);

/// Sessions planned and held, week by week.
pub fn sessions_over_time(r: &Report) -> Chart {
    let planned: Vec<(usize, usize)> = r.weeks.iter().enumerate().map(|(i, w)| (i, w.planned)).collect();
    let held: Vec<(usize, usize)> = r.weeks.iter().enumerate().map(|(i, w)| (i, w.held)).collect();
    let alt = format!(
        "Sessions per week over {} weeks: {} planned in all, {} held, {} cancelled.",
        r.weeks.len(),
        r.sessions.planned + r.sessions.held + r.sessions.cancelled,
        r.sessions.held,
        r.sessions.cancelled
    );
    let svg = lines("Sessions per week", &[("scheduled", PLANNED, &planned), ("held", HELD, &held)]);
    Chart { svg, alt }
}

/// Pairs showing any signal, week by week.
pub fn signals_over_time(r: &Report) -> Chart {
    let risk: Vec<(usize, usize)> = r.weeks.iter().enumerate().map(|(i, w)| (i, w.pairs_at_risk)).collect();
    let peak = r.weeks.iter().map(|w| w.pairs_at_risk).max().unwrap_or(0);
    let alt = format!(
        "Pairs at risk per week: {} now, at most {} in one week; now {} expert reflex, {} mentor apprehension, {} unfocused.",
        r.at_risk.len(),
        peak,
        r.signals.expert_reflex,
        r.signals.mentor_apprehension,
        r.signals.unfocused
    );
    Chart { svg: lines("Pairs at risk", &[("at risk", RISK, &risk)]), alt }
}

fn lines(title: &str, series: &[Series<'_>]) -> String {
    let mut svg = String::new();
    let weeks = series.iter().map(|(_, _, s)| s.len()).max().unwrap_or(0).max(2);
    let top = series.iter().flat_map(|(_, _, s)| s.iter().map(|p| p.1)).max().unwrap_or(0).max(1);
    // Drawing into a String cannot fail for lack of space; a failure leaves an empty chart.
    let _ = draw(&mut svg, title, weeks, top, series);
    svg
}

fn draw(svg: &mut String, title: &str, weeks: usize, top: usize, series: &[Series<'_>]) -> Option<()> {
    let root = SVGBackend::with_string(svg, SIZE).into_drawing_area();
    root.fill(&WHITE).ok()?;
    let mut chart = ChartBuilder::on(&root)
        .caption(title, ("sans-serif", 18))
        .margin(10)
        .x_label_area_size(30)
        .y_label_area_size(40)
        .build_cartesian_2d(0..weeks - 1, 0..top + top / 10 + 1)
        .ok()?;
    chart.configure_mesh().x_desc("week of the program").disable_x_mesh().draw().ok()?;
    for (name, color, points) in series {
        let color = *color;
        chart
            .draw_series(LineSeries::new(points.iter().copied(), color.stroke_width(2)))
            .ok()?
            .label(*name)
            .legend(move |(x, y)| PathElement::new(vec![(x, y), (x + 16, y)], color.stroke_width(2)));
    }
    chart.configure_series_labels().border_style(BLACK).background_style(WHITE).draw().ok()?;
    root.present().ok()?;
    Some(())
}
