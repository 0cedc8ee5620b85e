//! gloss's Cohen's κ and Krippendorff's α against the well-known implementations (scikit-learn's
//! `cohen_kappa_score`, the `krippendorff` package) on generated data. Runs where Python has them
//! (`pip install scikit-learn krippendorff`); elsewhere it says so and checks nothing.

use gloss_core::agreement::{cohen_kappa, krippendorff_alpha};

/// A small deterministic generator (no dependency needed for test data).
struct Lcg(u64);
impl Lcg {
    fn next(&mut self, n: u64) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (self.0 >> 33) % n
    }
}

#[test]
fn kappa_and_alpha_agree_with_the_reference_implementations() {
    let probe = std::process::Command::new("python3")
        .args(["-c", "import sklearn, krippendorff"])
        .output();
    if !probe.is_ok_and(|o| o.status.success()) {
        eprintln!("skipped: python3 with scikit-learn and krippendorff is not here");
        return;
    }
    let labels = [
        "O",
        "B-PERSON",
        "I-PERSON",
        "B-TASK",
        "I-TASK",
        "B-DIRECTIVE",
    ];
    let mut rng = Lcg(7);
    let mut cases = Vec::new();
    for case in 0..20 {
        let n = 20 + rng.next(200) as usize;
        let coders = 2 + (case % 3);
        let agree = rng.next(100);
        let first: Vec<&str> = (0..n).map(|_| labels[rng.next(6) as usize]).collect();
        let mut rows = vec![first.clone()];
        for _ in 1..coders {
            rows.push(
                first
                    .iter()
                    .map(|&l| {
                        if rng.next(100) < agree {
                            l
                        } else {
                            labels[rng.next(6) as usize]
                        }
                    })
                    .collect(),
            );
        }
        cases.push(rows);
    }
    let json = serde_json::to_string(&cases).unwrap();
    let script = r#"
import json, sys
import numpy as np
from sklearn.metrics import cohen_kappa_score
import krippendorff
cases = json.load(sys.stdin)
out = []
for rows in cases:
    values = sorted({v for r in rows for v in r})
    code = {v: i for i, v in enumerate(values)}
    k = cohen_kappa_score(rows[0], rows[1])
    a = krippendorff.alpha(reliability_data=np.array([[code[v] for v in r] for r in rows], dtype=float), level_of_measurement="nominal")
    out.append([float(k), float(a)])
print(json.dumps(out))
"#;
    let mut child = std::process::Command::new("python3")
        .args(["-c", script])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    use std::io::Write;
    child
        .stdin
        .take()
        .unwrap()
        .write_all(json.as_bytes())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(out.status.success());
    let reference: Vec<(f64, f64)> = serde_json::from_slice(&out.stdout).unwrap();
    for (rows, (k_ref, a_ref)) in cases.iter().zip(reference) {
        let s = |r: &Vec<&str>| r.iter().map(|x| x.to_string()).collect::<Vec<String>>();
        let k = cohen_kappa(&s(&rows[0]), &s(&rows[1]));
        assert!((k - k_ref).abs() < 1e-9, "κ {k} vs scikit-learn {k_ref}");
        let units: Vec<Vec<Option<String>>> = (0..rows[0].len())
            .map(|i| rows.iter().map(|r| Some(r[i].to_string())).collect())
            .collect();
        let a = krippendorff_alpha(&units);
        assert!((a - a_ref).abs() < 1e-9, "α {a} vs krippendorff {a_ref}");
    }
}
