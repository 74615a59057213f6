//! Russian-aware analysis: words split on non-alphanumeric characters,
//! lowercased, `ё` read as `е`, then stemmed.

use tantivy::tokenizer::{
    Language, LowerCaser, RawTokenizer, RemoveLongFilter, SimpleTokenizer, Stemmer, TextAnalyzer, Token, TokenFilter,
    TokenStream, Tokenizer,
};

/// The name the analyzer is registered under in the tantivy index.
pub(crate) const ANALYZER_NAME: &str = "ru_stem";

/// Longer tokens (in bytes) are not words: dropped.
const MAX_TOKEN_BYTES: usize = 100;

/// The analyzer of every searched field: words, lowercased, `ё` folded, stemmed.
pub(crate) fn stemming_analyzer() -> TextAnalyzer {
    TextAnalyzer::builder(SimpleTokenizer::default())
        .filter(RemoveLongFilter::limit(MAX_TOKEN_BYTES))
        .filter(LowerCaser)
        .filter(YoFolder)
        .filter(Stemmer::new(Language::Russian))
        .build()
}

/// Words of a text as typed, lowercased and `ё` folded, not stemmed.
fn word_analyzer() -> TextAnalyzer {
    TextAnalyzer::builder(SimpleTokenizer::default())
        .filter(RemoveLongFilter::limit(MAX_TOKEN_BYTES))
        .filter(LowerCaser)
        .filter(YoFolder)
        .build()
}

/// The stem of one already folded word.
fn stem_analyzer() -> TextAnalyzer {
    TextAnalyzer::builder(RawTokenizer::default()).filter(Stemmer::new(Language::Russian)).build()
}

/// Reads `ё` as `е` in lowercased tokens.
#[derive(Clone, Copy, Debug, Default)]
pub(crate) struct YoFolder;

impl TokenFilter for YoFolder {
    type Tokenizer<T: Tokenizer> = YoFolderTokenizer<T>;

    fn transform<T: Tokenizer>(self, tokenizer: T) -> YoFolderTokenizer<T> {
        YoFolderTokenizer(tokenizer)
    }
}

/// A tokenizer whose tokens have `ё` folded to `е`.
#[derive(Clone)]
pub(crate) struct YoFolderTokenizer<T>(T);

impl<T: Tokenizer> Tokenizer for YoFolderTokenizer<T> {
    type TokenStream<'a> = YoFolderStream<T::TokenStream<'a>>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> Self::TokenStream<'a> {
        YoFolderStream(self.0.token_stream(text))
    }
}

/// The token stream of [`YoFolderTokenizer`].
pub(crate) struct YoFolderStream<S>(S);

impl<S: TokenStream> TokenStream for YoFolderStream<S> {
    fn advance(&mut self) -> bool {
        if !self.0.advance() {
            return false;
        }
        let token = self.0.token_mut();
        if token.text.contains('ё') {
            token.text = fold_yo(&token.text);
        }
        true
    }

    fn token(&self) -> &Token {
        self.0.token()
    }

    fn token_mut(&mut self) -> &mut Token {
        self.0.token_mut()
    }
}

fn fold_yo(text: &str) -> String {
    text.replace('ё', "е")
}

/// A phrase compared as a whole (a profile): lowercased, `ё` as `е`,
/// single spaces between words, none around.
pub(crate) fn normalize_phrase(text: &str) -> String {
    fold_yo(&text.to_lowercase()).split_whitespace().collect::<Vec<_>>().join(" ")
}

/// One word of a text query.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct QueryWord {
    /// As typed, lowercased and `ё` folded.
    pub word: String,
    /// Its Russian stem, as the index holds terms.
    pub stem: String,
}

impl QueryWord {
    /// What the word may begin in the index: the word, its stem and its
    /// stems by the к/ч alternation.
    pub(crate) fn prefixes(&self) -> Vec<String> {
        let mut prefixes = vec![self.word.clone(), self.stem.clone()];
        prefixes.extend(alternate_stems(&self.stem));
        prefixes.sort_unstable();
        prefixes.dedup();
        prefixes
    }
}

/// Suffixes of words formed from a noun on «‑к‑» with «к» turned into «ч»:
/// ёлка → ёлочный, ёлочка; игрушка → игрушечный; сказка → сказочный.
const CH_FORMS: [&str; 2] = ["оч", "еч"];

/// The stems the same root takes by the к/ч alternation: «елк» ↔ «елоч», «елеч».
pub(crate) fn alternate_stems(stem: &str) -> Vec<String> {
    if let Some(root) = stem.strip_suffix('к').filter(|root| root.chars().count() >= 2) {
        return CH_FORMS.iter().map(|form| format!("{root}{form}")).collect();
    }
    CH_FORMS
        .iter()
        .find_map(|form| {
            let (root, tail) = stem.rsplit_once(form)?;
            let derived = matches!(tail, "" | "н" | "к");
            (derived && root.chars().count() >= 2).then(|| format!("{root}к"))
        })
        .into_iter()
        .collect()
}

/// Runs the analyzers; cheap to clone, one per thread or call.
#[derive(Clone)]
pub(crate) struct Analyzer {
    stemming: TextAnalyzer,
    words: TextAnalyzer,
    stem: TextAnalyzer,
}

impl Default for Analyzer {
    fn default() -> Self {
        Analyzer { stemming: stemming_analyzer(), words: word_analyzer(), stem: stem_analyzer() }
    }
}

impl Analyzer {
    /// The index terms of a text, in order, repeated as they occur.
    pub(crate) fn terms(&mut self, text: &str) -> Vec<String> {
        tokens(&mut self.stemming, text)
    }

    /// The words of a query with their stems.
    pub(crate) fn query_words(&mut self, query: &str) -> Vec<QueryWord> {
        tokens(&mut self.words, query)
            .into_iter()
            .map(|word| {
                let stem = tokens(&mut self.stem, &word).pop().unwrap_or_else(|| word.clone());
                QueryWord { word, stem }
            })
            .collect()
    }
}

fn tokens(analyzer: &mut TextAnalyzer, text: &str) -> Vec<String> {
    let mut stream = analyzer.token_stream(text);
    let mut out = Vec::new();
    while stream.advance() {
        out.push(stream.token().text.clone());
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn terms_are_folded_and_stemmed() {
        let mut analyzer = Analyzer::default();
        assert_eq!(analyzer.terms("Ёлочная игрушка, РОБОТОТЕХНИКА!"), vec!["елочн", "игрушк", "робототехник"]);
        assert_eq!(analyzer.terms("Елочные украшения"), vec!["елочн", "украшен"]);
    }

    #[test]
    fn query_words_keep_the_typed_form() {
        let mut analyzer = Analyzer::default();
        let words = analyzer.query_words("  Шахматы, ЁЛКА ");
        let pairs: Vec<(&str, &str)> = words.iter().map(|w| (w.word.as_str(), w.stem.as_str())).collect();
        assert_eq!(pairs, vec![("шахматы", "шахмат"), ("елка", "елк")]);
    }

    #[test]
    fn k_ch_alternation() {
        assert_eq!(alternate_stems("елк"), vec!["елоч", "елеч"]);
        assert_eq!(alternate_stems("елочн"), vec!["елк"]);
        assert_eq!(alternate_stems("игрушечн"), vec!["игрушк"]);
        assert!(alternate_stems("клуб").is_empty() && alternate_stems("ок").is_empty());
    }

    #[test]
    fn phrases_are_normalized() {
        assert_eq!(normalize_phrase("  Робото  Техника Ёжиков "), "робото техника ежиков");
    }
}
