//! The weights of the trained CRFs laid out for tagging: each feature's state weights for every
//! label's tags and each label's transition weights, read from the models' own dump, and Viterbi
//! over them.

use std::io;

#[cfg(test)]
use crfs::Attribute;

/// The weights of the CRFs as tables: each attribute's state weights for every label's tags, and
/// each label's transition weights; Viterbi decodes with them.
#[derive(Default)]
pub(super) struct Decoder {
    /// Per label: its tag names and the transition weights (`from * n + to`).
    labels: Vec<(Vec<String>, Vec<f64>)>,
    /// Attribute → (label index, tag index, weight).
    state: std::collections::HashMap<String, Vec<(u16, u8, f64)>, FnvBuild>,
}

/// FNV-1a: a fast hash for the short feature names looked up while tagging.
#[derive(Default, Clone, Copy)]
struct Fnv(u64);

impl std::hash::Hasher for Fnv {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        let mut h = if self.0 == 0 {
            0xcbf2_9ce4_8422_2325
        } else {
            self.0
        };
        for b in bytes {
            h ^= u64::from(*b);
            h = h.wrapping_mul(0x0100_0000_01b3);
        }
        self.0 = h;
    }
}

type FnvBuild = std::hash::BuildHasherDefault<Fnv>;

impl Decoder {
    /// The tables of CRFsuite models, read through the model's own dump.
    pub(super) fn new(crfs: &[(String, Vec<u8>)]) -> io::Result<Decoder> {
        let mut d = Decoder::default();
        for (li, (_, bytes)) in crfs.iter().enumerate() {
            let model = crfs::Model::new(bytes)?;
            let tags: Vec<String> = (0..model.num_labels())
                .filter_map(|i| model.to_label(i).map(String::from))
                .collect();
            let n = tags.len();
            let mut trans = vec![0.0; n * n];
            let mut dump = Vec::new();
            model.dump(&mut dump)?;
            let dump = String::from_utf8_lossy(&dump);
            let mut section = "";
            let tag_of = |t: &str| tags.iter().position(|x| x == t);
            for line in dump.lines() {
                if line.ends_with("= {") {
                    section = line.trim_end_matches(" = {");
                    continue;
                }
                let line = line.trim();
                // "(type) source --> target: weight"
                let Some(rest) = line.strip_prefix('(').and_then(|r| r.split_once(") ")) else {
                    continue;
                };
                let Some((left, weight)) = rest.1.rsplit_once(": ") else {
                    continue;
                };
                let Some((source, target)) = left.rsplit_once(" --> ") else {
                    continue;
                };
                let (Ok(weight), Some(to)) = (weight.parse::<f64>(), tag_of(target)) else {
                    continue;
                };
                match section {
                    "TRANSITIONS" => {
                        if let Some(from) = tag_of(source) {
                            trans[from * n + to] = weight;
                        }
                    }
                    "STATE_FEATURES" => d
                        .state
                        .entry(source.to_string())
                        .or_default()
                        .push((li as u16, to as u8, weight)),
                    _ => {}
                }
            }
            d.labels.push((tags, trans));
        }
        Ok(d)
    }

    /// Empty state scores for `t` tokens, per label.
    pub(super) fn scores(&self, t: usize) -> Vec<Vec<f64>> {
        self.labels
            .iter()
            .map(|(tags, _)| vec![0.0; t * tags.len()])
            .collect()
    }

    /// Add the weights of attribute `name` (value 1) at token `i`.
    pub(super) fn add(&self, scores: &mut [Vec<f64>], i: usize, name: &str) {
        if let Some(ws) = self.state.get(name) {
            for &(l, tag, w) in ws {
                let n = self.labels[l as usize].0.len();
                scores[l as usize][i * n + tag as usize] += w;
            }
        }
    }

    /// The best tag sequence of each label for tokens with attributes `f`, as tag names.
    #[cfg(test)]
    pub(super) fn decode<'a>(&'a self, f: &[Vec<Attribute>]) -> Vec<Vec<&'a str>> {
        let mut scores = self.scores(f.len());
        for (i, attrs) in f.iter().enumerate() {
            for a in attrs {
                self.add(&mut scores, i, &a.name);
            }
        }
        self.viterbi(&scores)
    }

    /// The best tag sequence of each label for these state scores.
    pub(super) fn viterbi<'a>(&'a self, scores: &[Vec<f64>]) -> Vec<Vec<&'a str>> {
        self.labels
            .iter()
            .zip(scores)
            .map(|((tags, trans), state)| {
                let n = tags.len();
                if n == 0 || state.is_empty() {
                    return Vec::new();
                }
                let t = state.len() / n;
                let mut best = state[..n].to_vec();
                let mut back = vec![0usize; t * n];
                for i in 1..t {
                    let mut next = vec![f64::NEG_INFINITY; n];
                    for to in 0..n {
                        for (from, b) in best.iter().enumerate() {
                            let v = b + trans[from * n + to];
                            if v > next[to] {
                                next[to] = v;
                                back[i * n + to] = from;
                            }
                        }
                        next[to] += state[i * n + to];
                    }
                    best = next;
                }
                let mut k = (0..n)
                    .max_by(|a, b| best[*a].total_cmp(&best[*b]))
                    .unwrap_or(0);
                let mut path = vec![0usize; t];
                for i in (0..t).rev() {
                    path[i] = k;
                    k = back[i * n + k];
                }
                path.into_iter().map(|k| tags[k].as_str()).collect()
            })
            .collect()
    }
}
