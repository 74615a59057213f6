//! A small flow layout on top of printpdf: paragraphs of styled spans wrapped to
//! the width of an A4 page, broken across pages, with real (extractable) text.
//!
//! printpdf's own layout engine is an HTML renderer; these forms only need
//! wrapped paragraphs, so the wrapping is done here from the font's advance widths.

use std::sync::LazyLock;

use anyhow::{Context, anyhow};
use printpdf::{
    FontId, Line, LinePoint, Mm, OffsetDateTime, Op, ParsedFont, PdfDocument, PdfFontHandle, PdfPage, PdfSaveOptions,
    Point, Pt, TextItem,
};

const REGULAR_TTF: &[u8] = include_bytes!("../../assets/fonts/DejaVuSans.ttf");
const BOLD_TTF: &[u8] = include_bytes!("../../assets/fonts/DejaVuSans-Bold.ttf");

const PAGE_WIDTH: Mm = Mm(210.0);
const PAGE_HEIGHT: Mm = Mm(297.0);
const MARGIN: Mm = Mm(20.0);
/// Room kept under the text for the page number.
const FOOTER: Mm = Mm(8.0);
const LINE_SPACING: f32 = 1.25;

/// The two faces, parsed once: parsing DejaVu takes longer than laying out a form.
static FONTS: LazyLock<Option<Fonts>> = LazyLock::new(Fonts::parse);

struct Fonts {
    regular: ParsedFont,
    bold: ParsedFont,
}

impl Fonts {
    fn parse() -> Option<Fonts> {
        let regular = ParsedFont::from_bytes(REGULAR_TTF, 0, &mut Vec::new())?;
        let bold = ParsedFont::from_bytes(BOLD_TTF, 0, &mut Vec::new())?;
        Some(Fonts { regular, bold })
    }

    fn face(&self, style: Style) -> &ParsedFont {
        match style {
            Style::Regular => &self.regular,
            Style::Bold => &self.bold,
        }
    }

    /// Advance width of `text` set in `style` at `size`, in points.
    fn width(&self, style: Style, text: &str, size: f32) -> f32 {
        let face = self.face(style);
        let units: u32 = text
            .chars()
            .map(|c| u32::from(face.get_horizontal_advance(face.lookup_glyph_index(u32::from(c)).unwrap_or(0))))
            .sum();
        units as f32 * size / f32::from(face.pdf_font_metrics.units_per_em.max(1))
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Style {
    Regular,
    Bold,
}

/// A piece of a paragraph in one style.
pub(super) struct Span<'a> {
    text: &'a str,
    style: Style,
}

pub(super) fn regular(text: &str) -> Span<'_> {
    Span { text, style: Style::Regular }
}

pub(super) fn bold(text: &str) -> Span<'_> {
    Span { text, style: Style::Bold }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Align {
    Left,
    Center,
}

/// How a paragraph is set.
#[derive(Debug, Clone, Copy)]
pub(super) struct Block {
    pub size: f32,
    pub align: Align,
    /// Extra indent of the first line, in millimetres.
    pub first_line_indent: f32,
    /// Left edge of the paragraph, in millimetres from the left margin.
    pub left: f32,
    /// Space after the paragraph, in millimetres.
    pub space_after: f32,
}

impl Block {
    pub const BODY: Block =
        Block { size: 10.0, align: Align::Left, first_line_indent: 0.0, left: 0.0, space_after: 2.0 };
    pub const TITLE: Block =
        Block { size: 13.0, align: Align::Center, first_line_indent: 0.0, left: 0.0, space_after: 5.0 };
    pub const SMALL: Block = Block { size: 8.5, ..Block::BODY };

    pub fn centered(self) -> Block {
        Block { align: Align::Center, ..self }
    }

    pub fn indented(self) -> Block {
        Block { first_line_indent: 10.0, ..self }
    }

    pub fn at(self, left: f32) -> Block {
        Block { left, ..self }
    }

    pub fn after(self, space_after: f32) -> Block {
        Block { space_after, ..self }
    }
}

/// A word: consecutive non-space characters, possibly in several styles.
struct Word {
    pieces: Vec<(Style, String)>,
    /// The style of the space before it, if there was one.
    space_before: Option<Style>,
}

fn words(spans: &[Span<'_>]) -> Vec<Word> {
    let mut words: Vec<Word> = Vec::new();
    let mut pending_space: Option<Style> = None;
    let mut in_word = false;
    for span in spans {
        for c in span.text.chars() {
            if c.is_whitespace() {
                // «№ 123456» stays on one line: the space after «№» does not break.
                if let Some((_, text)) = words.last_mut().and_then(|w| w.pieces.last_mut()).filter(|_| in_word) {
                    if text.ends_with('№') {
                        text.push(' ');
                        continue;
                    }
                    if text.ends_with("№ ") {
                        continue;
                    }
                }
                in_word = false;
                pending_space = Some(span.style);
                continue;
            }
            match words.last_mut() {
                Some(word) if in_word => match word.pieces.last_mut() {
                    Some((style, text)) if *style == span.style => text.push(c),
                    _ => word.pieces.push((span.style, c.to_string())),
                },
                _ => {
                    let space_before = if words.is_empty() { None } else { pending_space };
                    words.push(Word { pieces: vec![(span.style, c.to_string())], space_before });
                    in_word = true;
                }
            }
            pending_space = None;
        }
    }
    words
}

/// One laid-out line: runs of text and their total width in points.
#[derive(Default)]
struct LineRuns {
    runs: Vec<(Style, String)>,
    width: f32,
}

impl LineRuns {
    fn push(&mut self, style: Style, text: &str, width: f32) {
        match self.runs.last_mut() {
            Some((last, run)) if *last == style => run.push_str(text),
            _ => self.runs.push((style, text.to_owned())),
        }
        self.width += width;
    }

    fn is_empty(&self) -> bool {
        self.runs.is_empty()
    }
}

/// Greedy line breaking; a word wider than a whole line is cut by characters.
fn break_lines(fonts: &Fonts, words: &[Word], size: f32, first_width: f32, width: f32) -> Vec<LineRuns> {
    let mut lines = Vec::new();
    let mut line = LineRuns::default();
    let limit = |lines: &Vec<LineRuns>| if lines.is_empty() { first_width } else { width };
    for word in words {
        let word_width: f32 = word.pieces.iter().map(|(style, text)| fonts.width(*style, text, size)).sum();
        let space = word.space_before.filter(|_| !line.is_empty());
        let space_width = space.map_or(0.0, |style| fonts.width(style, " ", size));
        if !line.is_empty() && line.width + space_width + word_width > limit(&lines) {
            lines.push(std::mem::take(&mut line));
        }
        if let Some(style) = space.filter(|_| !line.is_empty()) {
            line.push(style, " ", space_width);
        }
        for (style, text) in &word.pieces {
            for c in text.chars() {
                let mut buf = [0; 4];
                let c = c.encode_utf8(&mut buf);
                let w = fonts.width(*style, c, size);
                if !line.is_empty() && line.width + w > limit(&lines) && word_width > limit(&lines) {
                    lines.push(std::mem::take(&mut line));
                }
                line.push(*style, c, w);
            }
        }
    }
    if !line.is_empty() {
        lines.push(line);
    }
    lines
}

/// A document being written top to bottom.
pub(super) struct Sheet {
    fonts: &'static Fonts,
    doc: PdfDocument,
    regular: FontId,
    bold: FontId,
    /// Finished pages, then the page being written.
    done: Vec<Vec<Op>>,
    current: Vec<Op>,
    /// Distance from the top edge of the page to the next line, in points.
    y: f32,
}

impl Sheet {
    pub fn new(title: &str, created_on: chrono::NaiveDate) -> anyhow::Result<Sheet> {
        let fonts = FONTS.as_ref().ok_or_else(|| anyhow!("the embedded DejaVu Sans font could not be parsed"))?;
        let mut doc = PdfDocument::new(title);
        let created = created_on.and_time(chrono::NaiveTime::MIN).and_utc().timestamp();
        let created = OffsetDateTime::from_unix_timestamp(created).map_err(|e| anyhow!("creation date: {e}"))?;
        doc.metadata.info.creation_date = created;
        doc.metadata.info.modification_date = created;
        doc.metadata.info.metadata_date = created;
        doc.metadata.info.creator = "Навигатор дополнительного образования".to_owned();
        let regular = doc.add_font(&fonts.regular);
        let bold = doc.add_font(&fonts.bold);
        Ok(Sheet { fonts, doc, regular, bold, done: Vec::new(), current: Vec::new(), y: Pt::from(MARGIN).0 })
    }

    fn content_width() -> f32 {
        Pt::from(PAGE_WIDTH).0 - 2.0 * Pt::from(MARGIN).0
    }

    fn bottom_limit() -> f32 {
        Pt::from(PAGE_HEIGHT).0 - Pt::from(MARGIN).0 - Pt::from(FOOTER).0
    }

    fn new_page(&mut self) {
        self.done.push(std::mem::take(&mut self.current));
        self.y = Pt::from(MARGIN).0;
    }

    fn font(&self, style: Style) -> PdfFontHandle {
        PdfFontHandle::External(match style {
            Style::Regular => self.regular.clone(),
            Style::Bold => self.bold.clone(),
        })
    }

    /// Writes one line with its baseline `x` points from the left edge.
    fn write_line(&mut self, x: f32, size: f32, line: LineRuns) {
        let baseline = Pt::from(PAGE_HEIGHT).0 - self.y - size;
        let mut ops = vec![Op::StartTextSection, Op::SetTextCursor { pos: Point { x: Pt(x), y: Pt(baseline) } }];
        for (style, text) in line.runs {
            ops.push(Op::SetFont { font: self.font(style), size: Pt(size) });
            ops.push(Op::ShowText { items: vec![TextItem::Text(text)] });
        }
        ops.push(Op::EndTextSection);
        self.current.extend(ops);
    }

    /// Sets a paragraph, wrapping it and starting new pages as needed.
    pub fn paragraph(&mut self, spans: &[Span<'_>], block: Block) {
        let left = Pt::from(MARGIN).0 + Pt::from(Mm(block.left)).0;
        let width = Self::content_width() - Pt::from(Mm(block.left)).0;
        let indent = Pt::from(Mm(block.first_line_indent)).0;
        let line_height = block.size * LINE_SPACING;
        let lines = break_lines(self.fonts, &words(spans), block.size, width - indent, width);
        for (i, line) in lines.into_iter().enumerate() {
            if self.y + line_height > Self::bottom_limit() {
                self.new_page();
            }
            let x = match block.align {
                Align::Left if i == 0 => left + indent,
                Align::Left => left,
                Align::Center => left + (width - line.width).max(0.0) / 2.0,
            };
            self.write_line(x, block.size, line);
            self.y += line_height;
        }
        self.space(block.space_after);
    }

    /// Vertical space, in millimetres.
    pub fn space(&mut self, mm: f32) {
        self.y += Pt::from(Mm(mm)).0;
    }

    /// Keeps the next `mm` millimetres together: starts a new page if they do not fit.
    pub fn keep(&mut self, mm: f32) {
        if self.y + Pt::from(Mm(mm)).0 > Self::bottom_limit() {
            self.new_page();
        }
    }

    /// A horizontal rule across the text width.
    pub fn rule(&mut self) {
        let y = Pt::from(PAGE_HEIGHT).0 - self.y;
        let left = Pt::from(MARGIN).0;
        let right = left + Self::content_width();
        let point = |x: f32| LinePoint { p: Point { x: Pt(x), y: Pt(y) }, bezier: false };
        let line = Line { points: vec![point(left), point(right)], is_closed: false };
        self.current.extend([Op::SetOutlineThickness { pt: Pt(0.6) }, Op::DrawLine { line }]);
        self.space(3.0);
    }

    /// Numbers the pages (when there are several) and serialises the document.
    pub fn finish(mut self) -> anyhow::Result<Vec<u8>> {
        let mut pages = std::mem::take(&mut self.done);
        pages.push(std::mem::take(&mut self.current));
        let total = pages.len();
        if total > 1 {
            for (i, ops) in pages.iter_mut().enumerate() {
                let text = format!("Страница {} из {}", i + 1, total);
                let size = 8.0;
                let x = Pt::from(PAGE_WIDTH).0 - Pt::from(MARGIN).0 - self.fonts.width(Style::Regular, &text, size);
                let y = Pt::from(MARGIN).0 - size;
                ops.extend([
                    Op::StartTextSection,
                    Op::SetTextCursor { pos: Point { x: Pt(x), y: Pt(y) } },
                    Op::SetFont { font: PdfFontHandle::External(self.regular.clone()), size: Pt(size) },
                    Op::ShowText { items: vec![TextItem::Text(text)] },
                    Op::EndTextSection,
                ]);
            }
        }
        let pages = pages.into_iter().map(|ops| PdfPage::new(PAGE_WIDTH, PAGE_HEIGHT, ops)).collect();
        let mut warnings = Vec::new();
        let bytes = self.doc.with_pages(pages).save(&PdfSaveOptions::default(), &mut warnings);
        if bytes.is_empty() {
            return Err(anyhow!("printpdf produced an empty document")).context(format!("{warnings:?}"));
        }
        Ok(bytes)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fonts() -> &'static Fonts {
        FONTS.as_ref().expect("embedded fonts parse")
    }

    fn text(line: &LineRuns) -> String {
        line.runs.iter().map(|(_, t)| t.as_str()).collect()
    }

    #[test]
    fn words_keep_styles_and_single_spaces() {
        let words = words(&[bold("Ребёнок:"), regular("  Петрова Анна,"), bold(" 5"), regular(" лет")]);
        let shown: Vec<String> =
            words.iter().map(|w| w.pieces.iter().map(|(_, t)| t.as_str()).collect::<String>()).collect();
        assert_eq!(shown, ["Ребёнок:", "Петрова", "Анна,", "5", "лет"]);
        assert_eq!(words[0].space_before, None);
        assert_eq!(words[1].space_before, Some(Style::Regular));
        assert_eq!(words[3].pieces[0].0, Style::Bold);
    }

    #[test]
    fn the_number_sign_stays_with_its_number() {
        let words = words(&[regular("Паспорт 6604 №  123456")]);
        let last: String = words.iter().flat_map(|w| &w.pieces).map(|(_, t)| t.as_str()).skip(2).collect();
        assert_eq!(words.len(), 3);
        assert_eq!(last, "№ 123456");
    }

    #[test]
    fn long_text_wraps_within_the_width() {
        let fonts = fonts();
        let sentence = "Смоленская область, город Смоленск, улица Большая Советская, дом 1. ".repeat(6);
        let lines = break_lines(fonts, &words(&[regular(&sentence)]), 10.0, 300.0, 300.0);
        assert!(lines.len() > 3);
        assert!(lines.iter().all(|l| l.width <= 300.0 + 0.01));
        let rejoined = lines.iter().map(text).collect::<Vec<_>>().join(" ");
        assert_eq!(rejoined, sentence.trim_end());
    }

    #[test]
    fn a_word_longer_than_the_line_is_cut() {
        let fonts = fonts();
        let word = "а".repeat(200);
        let lines = break_lines(fonts, &words(&[regular(&word)]), 10.0, 100.0, 100.0);
        assert!(lines.len() > 1);
        assert!(lines.iter().all(|l| l.width <= 100.0 + 0.01));
        assert_eq!(lines.iter().map(text).collect::<String>(), word);
    }
}
