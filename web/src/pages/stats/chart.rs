//! A statistics table drawn as an SVG chart of its charted columns: grouped
//! bars, a line with points per column, or bars of the columns stacked. The
//! value axis runs from zero (or the lowest value) to a round step above the
//! largest value. The SVG keeps its proportions at any width (`viewBox`,
//! `width="100%"`), is one image to a screen reader — named by its `<title>`,
//! described by the table's summary — and tells each value in a tooltip; the
//! table itself is a button away.

use leptos::prelude::*;
use navigator_shared::stats::{Chart, Column, Measure, Row, Table};

/// Colours of the columns, each at least 3:1 against white.
const PALETTE: [&str; 8] = ["#1c5ea8", "#c2410c", "#15803d", "#7e22ce", "#a16207", "#0e7490", "#be185d", "#4b5563"];

const TEXT: &str = "#1d2733";
const GRID: &str = "#d5dce5";

/// Room around the plot, in the units of the `viewBox`.
const LEFT: f64 = 84.0;
const RIGHT: f64 = 12.0;
const TOP: f64 = 28.0;
const PLOT_HEIGHT: f64 = 200.0;
/// Below the plot: the row labels and the axis title; turned labels take more by their length.
const BOTTOM: f64 = 48.0;
const BOTTOM_TURNED: f64 = 52.0;
const MIN_WIDTH: f64 = 360.0;
const FONT: f64 = 14.0;
/// About the width of a character of the labels.
const CHAR_WIDTH: f64 = 7.5;
/// Longer row labels are cut under the axis (the tooltips and the table have them whole).
const MAX_LABEL: usize = 18;

/// The colour of the `i`-th charted column.
pub fn colour(i: usize) -> &'static str {
    PALETTE[i % PALETTE.len()]
}

/// The columns a chart draws: their index in the rows and the column.
pub fn charted(table: &Table) -> Vec<(usize, &Column)> {
    table.columns.iter().enumerate().filter(|(_, c)| c.charted).collect()
}

/// The least step of the value axis in a unit: a rouble, half a day.
fn least_step(unit: Measure) -> i64 {
    match unit {
        Measure::Count | Measure::Permille => 1,
        Measure::Money => 100,
        Measure::Hours => 12,
    }
}

/// A round number at least `raw`: 1, 2 or 5 times a power of ten.
fn nice_step(raw: i64) -> i64 {
    let raw = raw.max(1);
    let mut power = 1_i64;
    while power.saturating_mul(10) <= raw {
        power *= 10;
    }
    [1, 2, 5, 10].into_iter().map(|m| m * power).find(|step| *step >= raw).unwrap_or(raw)
}

/// The value axis: from `low` to `high` by `step`, zero always on it.
#[derive(Debug, PartialEq, Eq)]
struct Scale {
    low: i64,
    high: i64,
    step: i64,
}

impl Scale {
    /// About four round steps of `unit` over the values from `min` to `max`.
    fn of(min: i64, max: i64, unit: Measure) -> Scale {
        let (min, max) = (min.min(0), max.max(0));
        let least = least_step(unit);
        let step = least * nice_step((max - min + 4 * least - 1) / (4 * least));
        let low = min.div_euclid(step) * step;
        let high = (max + step - 1).div_euclid(step).max(1) * step;
        Scale { low, high, step }
    }

    fn ticks(&self) -> Vec<i64> {
        let mut ticks = Vec::new();
        let mut tick = self.low;
        while tick <= self.high {
            ticks.push(tick);
            tick += self.step;
        }
        ticks
    }

    /// The height of `value` in the plot.
    fn y(&self, value: i64) -> f64 {
        let share = (value - self.low) as f64 / (self.high - self.low).max(1) as f64;
        TOP + PLOT_HEIGHT * (1.0 - share)
    }
}

/// The size of the drawing and where its rows stand.
struct Frame {
    width: f64,
    height: f64,
    /// The width given to each row.
    slot: f64,
    /// The row labels are turned to fit.
    turned: bool,
}

impl Frame {
    /// Room for `rows` rows of `bars` bars each.
    fn of(rows: &[Row], bars: usize) -> Frame {
        let wanted = (12.0 * bars as f64 + 12.0).max(28.0);
        let width = (LEFT + RIGHT + wanted * rows.len() as f64).max(MIN_WIDTH);
        let slot = (width - LEFT - RIGHT) / rows.len().max(1) as f64;
        let longest = rows.iter().map(|r| label(&r.label).chars().count()).max().unwrap_or(0) as f64;
        let turned = longest * CHAR_WIDTH > slot - 4.0;
        // A label turned by 40° goes down by about three quarters of its length.
        let height = TOP + PLOT_HEIGHT + if turned { BOTTOM_TURNED + longest * CHAR_WIDTH * 0.75 } else { BOTTOM };
        Frame { width, height, slot, turned }
    }

    /// The middle of row `i`.
    fn x(&self, i: usize) -> f64 {
        LEFT + self.slot * (i as f64 + 0.5)
    }
}

/// A row label as the axis shows it.
fn label(text: &str) -> String {
    if text.chars().count() <= MAX_LABEL {
        text.to_owned()
    } else {
        let cut: String = text.chars().take(MAX_LABEL - 1).collect();
        format!("{}…", cut.trim_end())
    }
}

/// «10–14 лет, Занимаются: 1».
fn tooltip(row: &Row, column: &Column, value: i64) -> String {
    format!("{}, {}: {}", row.label, column.title, column.unit.show(value))
}

fn number(value: f64) -> String {
    format!("{value:.1}")
}

/// The chart of `table`, or `None` when it has no rows or nothing charted.
/// `title_id` names the SVG's `<title>`; `summary_id` the paragraph that says what it shows.
pub fn chart_view(table: &Table, title_id: String, summary_id: String) -> Option<AnyView> {
    let series = charted(table);
    if table.rows.is_empty() || series.is_empty() {
        return None;
    }
    let unit = series.first().map_or(Measure::Count, |(_, c)| c.unit);
    let values =
        |row: &Row| -> Vec<Option<i64>> { series.iter().map(|(i, _)| row.values.get(*i).copied().flatten()).collect() };
    let (min, max) = match table.chart {
        Chart::Stacked => table.rows.iter().fold((0, 0), |(low, high), row| {
            (low, high.max(values(row).into_iter().flatten().filter(|v| *v > 0).sum()))
        }),
        Chart::Bars | Chart::Lines => {
            table.rows.iter().flat_map(values).flatten().fold((0, 0), |(low, high), v| (low.min(v), high.max(v)))
        }
    };
    let scale = Scale::of(min, max, unit);
    let bars = if table.chart == Chart::Bars { series.len() } else { 1 };
    let frame = Frame::of(&table.rows, bars);
    let plot_right = frame.width - RIGHT;
    let plot_bottom = TOP + PLOT_HEIGHT;

    let grid = scale
        .ticks()
        .into_iter()
        .map(|tick| {
            let y = number(scale.y(tick));
            view! {
                <line x1=number(LEFT) x2=number(plot_right) y1=y.clone() y2=y.clone() stroke=GRID stroke-width="1" />
                <text
                    x=number(LEFT - 6.0)
                    y=number(scale.y(tick) + FONT / 3.0)
                    text-anchor="end"
                    font-size=number(FONT)
                    fill=TEXT
                >
                    {unit.show(tick)}
                </text>
            }
        })
        .collect_view();
    let labels = table
        .rows
        .iter()
        .enumerate()
        .map(|(i, row)| {
            let (x, y) = (frame.x(i), plot_bottom + 16.0);
            let turn = frame.turned.then(|| format!("rotate(-40 {} {})", number(x), number(y)));
            view! {
                <text
                    x=number(x)
                    y=number(y)
                    text-anchor=if frame.turned { "end" } else { "middle" }
                    transform=turn
                    font-size=number(FONT)
                    fill=TEXT
                >
                    {label(&row.label)}
                </text>
            }
        })
        .collect_view();
    let marks = match table.chart {
        Chart::Bars => grouped_bars(table, &series, &scale, &frame),
        Chart::Stacked => stacked_bars(table, &series, &scale, &frame),
        Chart::Lines => lines(table, &series, &scale, &frame),
    };
    let zero = number(scale.y(0));
    let title = format!("{}: {}", table.chart.title(), table.title);
    let legend = series
        .iter()
        .enumerate()
        .map(|(k, (_, column))| {
            view! {
                <li>
                    <span class="legend-swatch" style=format!("background: {}", colour(k)) aria-hidden="true"></span>
                    {column.title.clone()}
                </li>
            }
        })
        .collect_view();
    Some(
        view! {
            <svg
                class="chart"
                role="img"
                viewBox=format!("0 0 {} {}", number(frame.width), number(frame.height))
                width="100%"
                style=format!("max-width: {}px", (frame.width * 1.25).round())
                aria-labelledby=title_id
                aria-describedby=summary_id
            >
                <title id=title_id.clone()>{title}</title>
                <text x="0" y=number(FONT + 2.0) font-size=number(FONT) fill=TEXT>
                    {unit.title()}
                </text>
                {grid}
                {marks}
                <line x1=number(LEFT) x2=number(plot_right) y1=zero.clone() y2=zero stroke=TEXT stroke-width="1" />
                <line x1=number(LEFT) x2=number(LEFT) y1=number(TOP) y2=number(plot_bottom) stroke=TEXT stroke-width="1" />
                {labels}
                <text
                    x=number(LEFT + (plot_right - LEFT) / 2.0)
                    y=number(frame.height - 6.0)
                    text-anchor="middle"
                    font-size=number(FONT)
                    fill=TEXT
                >
                    {table.label.clone()}
                </text>
            </svg>
            <ul class="chart-legend">{legend}</ul>
        }
        .into_any(),
    )
}

/// A rectangle from `from` to `to` on the value axis, with its value in a tooltip.
fn bar(x: f64, width: f64, (from, to): (f64, f64), fill: &'static str, tip: String) -> impl IntoView {
    let (top, bottom) = if from < to { (from, to) } else { (to, from) };
    view! {
        <rect
            class="chart-bar"
            x=number(x)
            y=number(top)
            width=number(width)
            height=number((bottom - top).max(0.0))
            fill=fill
        >
            <title>{tip}</title>
        </rect>
    }
}

/// The charted columns of a row side by side.
fn grouped_bars(table: &Table, series: &[(usize, &Column)], scale: &Scale, frame: &Frame) -> AnyView {
    let group = frame.slot * 0.8;
    let width = group / series.len().max(1) as f64;
    table
        .rows
        .iter()
        .enumerate()
        .flat_map(|(i, row)| {
            let start = frame.x(i) - group / 2.0;
            series.iter().enumerate().filter_map(move |(k, (index, column))| {
                let value = row.values.get(*index).copied().flatten()?;
                let x = start + width * k as f64;
                Some(bar(x + 1.0, width - 2.0, (scale.y(0), scale.y(value)), colour(k), tooltip(row, column, value)))
            })
        })
        .collect_view()
        .into_any()
}

/// One bar a row, its charted columns stacked from the bottom (negative values are left out).
fn stacked_bars(table: &Table, series: &[(usize, &Column)], scale: &Scale, frame: &Frame) -> AnyView {
    let width = frame.slot * 0.6;
    table
        .rows
        .iter()
        .enumerate()
        .flat_map(|(i, row)| {
            let x = frame.x(i) - width / 2.0;
            let mut below = 0_i64;
            series
                .iter()
                .enumerate()
                .filter_map(|(k, (index, column))| {
                    let value = row.values.get(*index).copied().flatten().filter(|v| *v > 0)?;
                    let span = (scale.y(below), scale.y(below + value));
                    below += value;
                    Some(bar(x, width, span, colour(k), tooltip(row, column, value)))
                })
                .collect::<Vec<_>>()
        })
        .collect_view()
        .into_any()
}

/// A line a column through the rows, broken where a value is unknown, with a point at each value.
fn lines(table: &Table, series: &[(usize, &Column)], scale: &Scale, frame: &Frame) -> AnyView {
    series
        .iter()
        .enumerate()
        .map(|(k, (index, column))| {
            let points: Vec<Option<(f64, f64, i64)>> = table
                .rows
                .iter()
                .enumerate()
                .map(|(i, row)| row.values.get(*index).copied().flatten().map(|v| (frame.x(i), scale.y(v), v)))
                .collect();
            let runs = points
                .split(Option::is_none)
                .filter(|run| run.len() > 1)
                .map(|run| {
                    let path = run
                        .iter()
                        .flatten()
                        .map(|(x, y, _)| format!("{},{}", number(*x), number(*y)))
                        .collect::<Vec<_>>()
                        .join(" ");
                    view! { <polyline points=path fill="none" stroke=colour(k) stroke-width="2.5" /> }
                })
                .collect_view();
            let dots = table
                .rows
                .iter()
                .zip(&points)
                .filter_map(|(row, point)| {
                    let (x, y, value) = (*point)?;
                    Some(view! {
                        <circle class="chart-point" cx=number(x) cy=number(y) r="4" fill=colour(k)>
                            <title>{tooltip(row, column, value)}</title>
                        </circle>
                    })
                })
                .collect_view();
            view! { <g>{runs} {dots}</g> }
        })
        .collect_view()
        .into_any()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn steps_are_round() {
        assert_eq!(nice_step(0), 1);
        assert_eq!(nice_step(3), 5);
        assert_eq!(nice_step(26), 50);
        assert_eq!(nice_step(100), 100);
        assert_eq!(nice_step(101), 200);
    }

    #[test]
    fn the_axis_reaches_past_the_largest_value_and_holds_zero() {
        assert_eq!(Scale::of(0, 0, Measure::Count), Scale { low: 0, high: 1, step: 1 });
        assert_eq!(Scale::of(0, 7, Measure::Count), Scale { low: 0, high: 8, step: 2 });
        assert_eq!(Scale::of(0, 150_000, Measure::Money).ticks(), vec![0, 50_000, 100_000, 150_000]);
        assert_eq!(Scale::of(0, 0, Measure::Money), Scale { low: 0, high: 100, step: 100 });
        // Half a day, a day, two and a half days…
        assert_eq!(Scale::of(0, 100, Measure::Hours).step, 60);
        let negative = Scale::of(-30, 90, Measure::Count);
        assert_eq!((negative.low, negative.high), (-50, 100));
        assert!(negative.y(0) < negative.y(-30) && negative.y(90) < negative.y(0));
    }

    #[test]
    fn long_labels_are_cut() {
        assert_eq!(label("10–14 лет"), "10–14 лет");
        assert_eq!(label("Центр детского творчества № 12"), "Центр детского тв…");
    }
}
