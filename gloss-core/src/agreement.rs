//! Agreement between annotators over tokens: each annotator's tags become one IOB label per token
//! ([`crate::text::tokens`], the CoNLL export's: syllables and punctuation marks), and the labels are compared with
//! Cohen's κ (two annotators) and Krippendorff's α (nominal, two or more, missing values allowed).
//! Relations are compared as wholes: the same type between the same two spans.

use std::collections::BTreeMap;

use crate::annotation::{Annotation, Relation};
use crate::eval::Counts;
use crate::text::CharIndex;
use crate::text::tokens::{Token, tokenize};

/// The IOB label of each token of `text` under `tags` (code-point spans): `B-LABEL` on a tag's first
/// token, `I-LABEL` on the others, `O` outside. Where tags nest or overlap the longest wins (the
/// CoNLL export's rule), then the earliest.
pub fn token_labels(text: &str, tokens: &[Token], tags: &[Annotation]) -> Vec<String> {
    let index = CharIndex::new(text);
    let mut spans: Vec<(std::ops::Range<usize>, &str)> = tags
        .iter()
        .filter(|t| t.is_live())
        .filter_map(|t| {
            let a = index.char_to_byte(text, t.start)?;
            let b = index.char_to_byte(text, t.end)?;
            Some((a..b, t.label.as_str()))
        })
        .collect();
    spans.sort_by_key(|(r, _)| (std::cmp::Reverse(r.len()), r.start));
    let mut out = vec!["O".to_string(); tokens.len()];
    let mut taken = vec![false; tokens.len()];
    for (r, label) in spans {
        let inside: Vec<usize> = (0..tokens.len())
            .filter(|&i| tokens[i].bytes.start < r.end && r.start < tokens[i].bytes.end)
            .collect();
        if inside.iter().any(|&i| taken[i]) {
            continue; // the longer tag there wins
        }
        for (k, &i) in inside.iter().enumerate() {
            taken[i] = true;
            out[i] = format!("{}-{label}", if k == 0 { "B" } else { "I" });
        }
    }
    out
}

/// The tokens of `text`, for [`token_labels`].
pub fn tokens(text: &str) -> Vec<Token> {
    tokenize(text)
}

/// Cohen's κ of two equally long label sequences: (observed − expected agreement) / (1 − expected),
/// expected from each annotator's label frequencies. 1 when both use a single, identical label.
pub fn cohen_kappa(a: &[String], b: &[String]) -> f64 {
    assert_eq!(a.len(), b.len(), "one label per token from each");
    let n = a.len() as f64;
    if a.is_empty() {
        return 1.0;
    }
    let observed = a.iter().zip(b).filter(|(x, y)| x == y).count() as f64 / n;
    let mut fa: BTreeMap<&str, f64> = BTreeMap::new();
    let mut fb: BTreeMap<&str, f64> = BTreeMap::new();
    for (x, y) in a.iter().zip(b) {
        *fa.entry(x).or_default() += 1.0;
        *fb.entry(y).or_default() += 1.0;
    }
    let expected: f64 = fa
        .iter()
        .map(|(k, ca)| ca / n * fb.get(k).copied().unwrap_or(0.0) / n)
        .sum();
    if (1.0 - expected).abs() < 1e-12 {
        return 1.0;
    }
    (observed - expected) / (1.0 - expected)
}

/// Krippendorff's α for nominal data: `units[u][c]` is coder `c`'s value for unit `u` (`None`:
/// missing). Units with fewer than two values are not pairable and are left out. 1 − D_o / D_e from
/// the coincidence matrix; 1 when there is no variation at all.
pub fn krippendorff_alpha(units: &[Vec<Option<String>>]) -> f64 {
    // coincidences o[c][k], value totals n_c, and n
    let mut o: BTreeMap<(&str, &str), f64> = BTreeMap::new();
    let mut totals: BTreeMap<&str, f64> = BTreeMap::new();
    let mut n = 0.0;
    for unit in units {
        let values: Vec<&str> = unit.iter().flatten().map(String::as_str).collect();
        let m = values.len();
        if m < 2 {
            continue;
        }
        for (i, c) in values.iter().enumerate() {
            for (j, k) in values.iter().enumerate() {
                if i != j {
                    *o.entry((c, k)).or_default() += 1.0 / (m as f64 - 1.0);
                }
            }
        }
        for c in &values {
            *totals.entry(c).or_default() += 1.0;
        }
        n += m as f64;
    }
    if n <= 1.0 {
        return 1.0;
    }
    let disagree_observed: f64 = o.iter().filter(|((c, k), _)| c != k).map(|(_, v)| v).sum();
    let mut disagree_expected = 0.0;
    for (c, nc) in &totals {
        for (k, nk) in &totals {
            if c != k {
                disagree_expected += nc * nk;
            }
        }
    }
    disagree_expected /= n - 1.0;
    if disagree_expected == 0.0 {
        return 1.0;
    }
    1.0 - disagree_observed / disagree_expected
}

/// What articles add to a team's agreement, token by token: for Krippendorff's α the observed
/// disagreement and each label's count over the tokens two annotators or more labelled; for
/// Cohen's κ, per pair of annotators, the tokens both labelled, those they labelled alike and each
/// one's label counts. Every part is a sum, so the tally of many articles is the sum of theirs
/// ([`AgreementTally::add`]) and a changed article changes only its own part: a dashboard keeps
/// it live without reading the others again. The figures are those of [`krippendorff_alpha`] and
/// [`cohen_kappa`] over the articles' tokens put end to end (an annotator who did not tag an
/// article is a missing value there).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct AgreementTally {
    /// Articles two annotators or more tagged.
    pub articles: usize,
    /// Σ over the pairable tokens of the coincidences between different labels.
    disagreement: f64,
    /// Each label's values over the pairable tokens, and their sum.
    values: BTreeMap<String, f64>,
    n: f64,
    /// Per pair of annotators (in name order).
    pairs: BTreeMap<(String, String), PairTally>,
}

/// Two annotators' tokens, for Cohen's κ.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
struct PairTally {
    articles: usize,
    tokens: usize,
    same: usize,
    first: BTreeMap<String, usize>,
    second: BTreeMap<String, usize>,
}

/// Two annotators' agreement over the articles both tagged.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct PairAgreement {
    pub first: String,
    pub second: String,
    pub articles: usize,
    pub tokens: usize,
    /// Cohen's κ over their tokens (IOB labels).
    pub kappa: f64,
}

impl AgreementTally {
    /// One article's part: `text` tagged by each of `annotators` (their live tags are compared);
    /// nothing when fewer than two tagged it.
    pub fn of_article(text: &str, annotators: &[(&str, &[Annotation])]) -> AgreementTally {
        let mut t = AgreementTally::default();
        if annotators.len() < 2 {
            return t;
        }
        t.articles = 1;
        let toks = tokens(text);
        let mut named: Vec<(&str, Vec<String>)> = annotators
            .iter()
            .map(|(name, tags)| (*name, token_labels(text, &toks, tags)))
            .collect();
        named.sort_by(|a, b| a.0.cmp(b.0));
        let m = named.len() as f64;
        for k in 0..toks.len() {
            let mut here: BTreeMap<&str, f64> = BTreeMap::new();
            for (_, labels) in &named {
                *here.entry(labels[k].as_str()).or_default() += 1.0;
            }
            // pairs of different labels, each ordered pair weighted 1 / (m − 1)
            let same: f64 = here.values().map(|c| c * (c - 1.0)).sum();
            t.disagreement += (m * (m - 1.0) - same) / (m - 1.0);
            for (label, c) in here {
                *t.values.entry(label.to_string()).or_default() += c;
            }
            t.n += m;
        }
        for i in 0..named.len() {
            for j in i + 1..named.len() {
                let (a, b) = (&named[i], &named[j]);
                let p = t
                    .pairs
                    .entry((a.0.to_string(), b.0.to_string()))
                    .or_default();
                p.articles = 1;
                p.tokens = toks.len();
                for (x, y) in a.1.iter().zip(&b.1) {
                    p.same += usize::from(x == y);
                    *p.first.entry(x.clone()).or_default() += 1;
                    *p.second.entry(y.clone()).or_default() += 1;
                }
            }
        }
        t
    }

    /// Add another part (another article's, or a sum of them).
    pub fn add(&mut self, other: &AgreementTally) {
        self.articles += other.articles;
        self.disagreement += other.disagreement;
        self.n += other.n;
        for (label, c) in &other.values {
            *self.values.entry(label.clone()).or_default() += c;
        }
        for (names, o) in &other.pairs {
            let p = self.pairs.entry(names.clone()).or_default();
            p.articles += o.articles;
            p.tokens += o.tokens;
            p.same += o.same;
            for (l, c) in &o.first {
                *p.first.entry(l.clone()).or_default() += c;
            }
            for (l, c) in &o.second {
                *p.second.entry(l.clone()).or_default() += c;
            }
        }
    }

    /// Krippendorff's α (nominal) over every pairable token; 1 without variation.
    pub fn alpha(&self) -> f64 {
        if self.n <= 1.0 {
            return 1.0;
        }
        let all: f64 = self.values.values().sum();
        let expected =
            (all * all - self.values.values().map(|c| c * c).sum::<f64>()) / (self.n - 1.0);
        if expected == 0.0 {
            return 1.0;
        }
        1.0 - self.disagreement / expected
    }

    /// Cohen's κ of each pair of annotators over the articles both tagged, in name order.
    pub fn pairs(&self) -> Vec<PairAgreement> {
        self.pairs
            .iter()
            .map(|((a, b), p)| PairAgreement {
                first: a.clone(),
                second: b.clone(),
                articles: p.articles,
                tokens: p.tokens,
                kappa: p.kappa(),
            })
            .collect()
    }
}

impl PairTally {
    /// As [`cohen_kappa`] computes it over the pair's tokens.
    fn kappa(&self) -> f64 {
        if self.tokens == 0 {
            return 1.0;
        }
        let n = self.tokens as f64;
        let observed = self.same as f64 / n;
        let expected: f64 = self
            .first
            .iter()
            .map(|(k, ca)| *ca as f64 / n * self.second.get(k).copied().unwrap_or(0) as f64 / n)
            .sum();
        if (1.0 - expected).abs() < 1e-12 {
            return 1.0;
        }
        (observed - expected) / (1.0 - expected)
    }
}

/// A tag's span as relation agreement sees it: label and code-point offsets.
pub type SpanKey = (String, usize, usize);

/// A relation as agreement compares it: its type and both ends' spans (label and offsets), so that
/// two annotators' relations match whatever the tags' ids.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct RelationKey {
    pub label: String,
    pub head: SpanKey,
    pub tail: SpanKey,
}

/// The relations among `tags` (both ends there, not rejected) as keys.
pub fn relation_keys(tags: &[Annotation], relations: &[Relation]) -> Vec<RelationKey> {
    let span = |id: &str| {
        tags.iter()
            .find(|t| t.id == id)
            .map(|t| (t.label.clone(), t.start, t.end))
    };
    relations
        .iter()
        .filter(|r| !r.is_rejected())
        .filter_map(|r| {
            Some(RelationKey {
                label: r.label.clone(),
                head: span(&r.head)?,
                tail: span(&r.tail)?,
            })
        })
        .collect()
}

/// Relation agreement of an annotator with the reference: per relation type and over all.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RelationAgreement {
    pub per_type: BTreeMap<String, Counts>,
    pub all: Counts,
}

/// Compare an annotator's relations with the reference's, article by article (`reference[i]` and
/// `other[i]` are the same article's). A relation matches one of the reference's when the type and
/// both ends' spans are equal; each matches at most once (as multisets). Precision is over the
/// annotator's relations, recall over the reference's.
pub fn relation_agreement(
    reference: &[Vec<RelationKey>],
    other: &[Vec<RelationKey>],
) -> RelationAgreement {
    let mut out = RelationAgreement::default();
    for (r, o) in reference.iter().zip(other) {
        let mut left: BTreeMap<&RelationKey, usize> = BTreeMap::new();
        for k in r {
            *left.entry(k).or_default() += 1;
        }
        for k in o {
            let c = out.per_type.entry(k.label.clone()).or_default();
            match left.get_mut(k) {
                Some(n) if *n > 0 => {
                    *n -= 1;
                    c.tp += 1;
                }
                _ => c.fp += 1,
            }
        }
        for (k, n) in left {
            out.per_type.entry(k.label.clone()).or_default().fn_ += n;
        }
    }
    for c in out.per_type.values() {
        out.all.tp += c.tp;
        out.all.fp += c.fp;
        out.all.fn_ += c.fn_;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    proptest::proptest! {
        /// The tally of articles, summed part by part, gives the α and κ that
        /// [`krippendorff_alpha`] and [`cohen_kappa`] give over their tokens end to end, an
        /// annotator who did not tag an article a missing value there.
        #[test]
        fn the_tally_sums_to_the_figures_over_all_tokens(
            articles in proptest::collection::vec(
                (
                    proptest::collection::vec(0usize..4, 1..12),
                    proptest::collection::vec(
                        proptest::option::of(proptest::collection::vec((0usize..12, 1usize..4, 0usize..2), 0..4)),
                        3,
                    ),
                ),
                1..5,
            )
        ) {
            let names = ["an", "binh", "chi"];
            let words = ["Lâm", "nói", "Hà", "Nội"];
            let mut tally = AgreementTally::default();
            let mut units: Vec<Vec<Option<String>>> = Vec::new();
            let mut pair_labels: BTreeMap<(usize, usize), (Vec<String>, Vec<String>)> = BTreeMap::new();
            for (ws, per) in &articles {
                let text: String = ws.iter().map(|&w| words[w]).collect::<Vec<_>>().join(" ");
                let toks = tokens(&text);
                let chars = text.chars().count();
                let tags_of = |spec: &Vec<(usize, usize, usize)>| -> Vec<Annotation> {
                    spec.iter()
                        .filter_map(|&(s, len, l)| {
                            let (s, e) = (s.min(chars), (s + len).min(chars));
                            (s < e).then(|| {
                                let t: String = text.chars().skip(s).take(e - s).collect();
                                Annotation::new(["PERSON", "TASK"][l], s, e, &t, "x")
                            })
                        })
                        .collect()
                };
                let tagged: Vec<(usize, Vec<Annotation>)> = per
                    .iter()
                    .enumerate()
                    .filter_map(|(i, spec)| spec.as_ref().map(|s| (i, tags_of(s))))
                    .collect();
                let given: Vec<(&str, &[Annotation])> =
                    tagged.iter().map(|(i, t)| (names[*i], t.as_slice())).collect();
                tally.add(&AgreementTally::of_article(&text, &given));
                let labels: Vec<Option<Vec<String>>> = (0..3)
                    .map(|i| {
                        tagged
                            .iter()
                            .find(|(j, _)| *j == i)
                            .map(|(_, t)| token_labels(&text, &toks, t))
                    })
                    .collect();
                if tagged.len() >= 2 {
                    for k in 0..toks.len() {
                        units.push(labels.iter().map(|l| l.as_ref().map(|l| l[k].clone())).collect());
                    }
                }
                for i in 0..3 {
                    for j in i + 1..3 {
                        if let (Some(a), Some(b)) = (&labels[i], &labels[j]) {
                            let e = pair_labels.entry((i, j)).or_default();
                            e.0.extend(a.iter().cloned());
                            e.1.extend(b.iter().cloned());
                        }
                    }
                }
            }
            let alpha = krippendorff_alpha(&units);
            proptest::prop_assert!((tally.alpha() - alpha).abs() < 1e-9, "{} vs {}", tally.alpha(), alpha);
            let pairs = tally.pairs();
            proptest::prop_assert_eq!(pairs.len(), pair_labels.len());
            for p in pairs {
                let i = names.iter().position(|n| *n == p.first).unwrap();
                let j = names.iter().position(|n| *n == p.second).unwrap();
                let (a, b) = &pair_labels[&(i, j)];
                proptest::prop_assert_eq!(p.tokens, a.len());
                let k = cohen_kappa(a, b);
                proptest::prop_assert!((p.kappa - k).abs() < 1e-9, "{} vs {}", p.kappa, k);
            }
        }
    }

    #[test]
    fn relation_agreement_by_hand() {
        // "Bà Mai ban hành Chỉ thị 24, giao Bộ Công an nhiệm vụ A."
        let p = |s, e| ("PERSON".to_string(), s, e);
        let d = |s, e| ("DIRECTIVE".to_string(), s, e);
        let t = |s, e| ("TASK".to_string(), s, e);
        let k = |label: &str, head: SpanKey, tail: SpanKey| RelationKey {
            label: label.into(),
            head,
            tail,
        };
        // article 1: reference ISSUES(Mai → CT24), ASSIGNS(Mai → A), ASSIGNS(Mai → B);
        // the annotator: ISSUES the same, ASSIGNS(Mai → A) the same, ASSIGNS(Mai → B') with B's
        // end one character short (no match), and an extra ISSUES(Mai → CT25).
        let reference = vec![
            vec![
                k("ISSUES", p(0, 6), d(16, 26)),
                k("ASSIGNS", p(0, 6), t(40, 50)),
                k("ASSIGNS", p(0, 6), t(52, 60)),
            ],
            // article 2: one IMPLEMENTS, which the annotator typed ASSIGNEE: no match
            vec![k("IMPLEMENTS", t(0, 5), d(10, 20))],
        ];
        let other = vec![
            vec![
                k("ISSUES", p(0, 6), d(16, 26)),
                k("ASSIGNS", p(0, 6), t(40, 50)),
                k("ASSIGNS", p(0, 6), t(52, 59)),
                k("ISSUES", p(0, 6), d(30, 38)),
            ],
            vec![k("ASSIGNEE", t(0, 5), d(10, 20))],
        ];
        let a = relation_agreement(&reference, &other);
        let c = |tp, fp, fn_| Counts { tp, fp, fn_ };
        // ISSUES: 1 matched, 1 extra → P 1/2, R 1/1
        assert_eq!(a.per_type["ISSUES"], c(1, 1, 0));
        // ASSIGNS: 1 matched, 1 extra (the short span), 1 missed → P 1/2, R 1/2
        assert_eq!(a.per_type["ASSIGNS"], c(1, 1, 1));
        assert_eq!(a.per_type["IMPLEMENTS"], c(0, 0, 1));
        assert_eq!(a.per_type["ASSIGNEE"], c(0, 1, 0));
        // over all: 2 matched of the annotator's 5 and the reference's 4: P 0.4, R 0.5, F1 4/9
        assert_eq!(a.all, c(2, 3, 2));
        assert!((a.all.precision() - 0.4).abs() < 1e-12);
        assert!((a.all.recall() - 0.5).abs() < 1e-12);
        assert!((a.all.f1() - 4.0 / 9.0).abs() < 1e-12);
        // a relation twice in the reference and once in the other matches once
        let twice = relation_agreement(
            &[vec![
                k("ISSUES", p(0, 1), d(2, 3)),
                k("ISSUES", p(0, 1), d(2, 3)),
            ]],
            &[vec![k("ISSUES", p(0, 1), d(2, 3))]],
        );
        assert_eq!(twice.all, c(1, 0, 1));
    }

    #[test]
    fn relation_keys_leave_out_rejected_and_dangling() {
        let a = Annotation::new("PERSON", 0, 3, "Mai", "x");
        let b = Annotation::new("DIRECTIVE", 5, 9, "CT24", "x");
        let ok = Relation::new("ISSUES", &a.id, &b.id, "x");
        let dangling = Relation::new("ISSUES", &a.id, "gone", "x");
        let mut rejected = Relation::new("ISSUES", &b.id, &a.id, "x");
        rejected.review = Some(crate::annotation::Review {
            verdict: crate::annotation::Verdict::Rejected,
            reviewer: "r".into(),
            time: "t".into(),
        });
        let keys = relation_keys(&[a, b], &[ok, dangling, rejected]);
        assert_eq!(
            keys,
            [RelationKey {
                label: "ISSUES".into(),
                head: ("PERSON".into(), 0, 3),
                tail: ("DIRECTIVE".into(), 5, 9),
            }]
        );
    }

    fn v(s: &str) -> Vec<String> {
        s.split_whitespace().map(String::from).collect()
    }

    #[test]
    fn kappa_by_hand() {
        // identical: 1
        assert_eq!(cohen_kappa(&v("O B-P I-P O"), &v("O B-P I-P O")), 1.0);
        // the textbook 2x2: 20 yes/yes, 5 yes/no, 10 no/yes, 15 no/no → po 0.7, pe 0.5, κ 0.4
        let mut a = Vec::new();
        let mut b = Vec::new();
        for (x, y, k) in [
            ("y", "y", 20),
            ("y", "n", 5),
            ("n", "y", 10),
            ("n", "n", 15),
        ] {
            for _ in 0..k {
                a.push(x.to_string());
                b.push(y.to_string());
            }
        }
        assert!((cohen_kappa(&a, &b) - 0.4).abs() < 1e-12);
        // one label swapped: po = 3/4; pe = (3/4)(3/4) = 9/16 (only O is shared); κ = (12/16 −
        // 9/16) / (7/16) = 3/7
        let k = cohen_kappa(&v("B-P O O O"), &v("B-T O O O"));
        assert!((k - 3.0 / 7.0).abs() < 1e-12, "{k}");
        // disjoint: nothing in common, nothing expected in common: κ = 0
        assert!(cohen_kappa(&v("a a b b"), &v("c c d d")).abs() < 1e-12);
    }

    #[test]
    fn alpha_by_hand() {
        let s = |x: &str| Some(x.to_string());
        // perfect agreement
        let units = vec![
            vec![s("a"), s("a")],
            vec![s("b"), s("b")],
            vec![s("a"), s("a")],
        ];
        assert_eq!(krippendorff_alpha(&units), 1.0);
        // two coders, ten units, two disagreements (a/b, d/b). Values over both coders: a 3, b 6,
        // c 6, d 3, e 2 (n = 20). Observed disagreement: each disagreeing unit adds 2 off-diagonal
        // coincidences: D_o = 4. Expected: (n² − Σ n_c²) / (n − 1) = (400 − 94) / 19 = 306/19.
        // α = 1 − 4 / (306/19) = 1 − 76/306 = 0.75163… (the `krippendorff` package agrees).
        let a = ["a", "a", "b", "b", "d", "c", "c", "c", "e", "d"];
        let b = ["b", "a", "b", "b", "b", "c", "c", "c", "e", "d"];
        let units: Vec<Vec<Option<String>>> =
            a.iter().zip(b).map(|(x, y)| vec![s(x), s(y)]).collect();
        let alpha = krippendorff_alpha(&units);
        assert!((alpha - (1.0 - 76.0 / 306.0)).abs() < 1e-12, "{alpha}");
        // missing values are left out
        let units = vec![
            vec![s("a"), None, s("a")],
            vec![s("b"), s("b"), None],
            vec![None, s("a"), None],
        ];
        assert_eq!(krippendorff_alpha(&units), 1.0);
    }

    #[test]
    fn partial_overlap_by_hand() {
        // "Ông Tô Lâm nói." — one annotator tags "Tô Lâm", the other only "Lâm":
        // a: O B-P I-P O O, b: O O B-P O O. po = 3/5; a: O 3, B-P 1, I-P 1; b: O 4, B-P 1.
        // pe = (3·4 + 1·1)/25 = 13/25; κ = (15/25 − 13/25)/(12/25) = 1/6.
        let text = "Ông Tô Lâm nói.";
        let toks = tokens(text);
        let a = token_labels(text, &toks, &[Annotation::new("P", 4, 10, "Tô Lâm", "a")]);
        let b = token_labels(text, &toks, &[Annotation::new("P", 7, 10, "Lâm", "b")]);
        assert_eq!(a, v("O B-P I-P O O"));
        assert_eq!(b, v("O O B-P O O"));
        assert!((cohen_kappa(&a, &b) - 1.0 / 6.0).abs() < 1e-12);
    }

    #[test]
    fn token_labels_follow_the_conll_tokens() {
        let text = "Ông Tô Lâm nói, chỉ thị số 24.";
        let toks = tokens(text);
        let tag = |label: &str, needle: &str| {
            let b = text.find(needle).unwrap();
            let s = text[..b].chars().count();
            Annotation::new(label, s, s + needle.chars().count(), needle, "x")
        };
        let labels = token_labels(
            text,
            &toks,
            &[tag("PERSON", "Tô Lâm"), tag("DIRECTIVE", "chỉ thị số 24")],
        );
        assert_eq!(
            labels,
            v("O B-PERSON I-PERSON O O B-DIRECTIVE I-DIRECTIVE I-DIRECTIVE I-DIRECTIVE O")
        );
    }
}
