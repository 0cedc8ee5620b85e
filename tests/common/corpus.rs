//! The export test corpus: NFD text, emoji, CJK, overlapping tags, a multi-line tag, notes that need
//! quoting, an article with no tags, and one with what real tools tripped on (a BOM, a tab inside a
//! tag, CRLF, a line separator and NEL inside a tag, a combining mark after a space, a reviewed tag,
//! a done article, with a reviewer's comment and a comment on the article).

use std::path::{Path, PathBuf};

use gloss_core::annotation::{Annotation, AnnotationSet, Review, Status, Verdict};
use gloss_core::store::Sidecar;
use unicode_normalization::UnicodeNormalization;

pub const A: &str = "date 2024-01 Ảnh: Tô Lâm 😀 phát biểu\n\nÔng Tô Lâm yêu cầu các bộ hoàn thành nhiệm vụ trước 30/6. 中文字 và Hòa, Hoà.\n\nTác giả: THÀNH CHUNG\n\nNguồn tin: Báo Tuổi trẻ";

pub fn tag(
    text: &str,
    id: &str,
    label: &str,
    needle: &str,
    nth: usize,
    note: Option<&str>,
) -> Annotation {
    let b = text.match_indices(needle).nth(nth).expect("needle").0;
    let start = text[..b].chars().count();
    let mut t = Annotation::new(
        label,
        start,
        start + needle.chars().count(),
        needle,
        "tester",
    );
    t.id = id.into();
    t.note = note.map(String::from);
    t.created = "2026-11-26T09:00:00Z".into();
    t.modified = t.created.clone();
    t
}

pub fn write_article(dir: &Path, name: &str, text: &str, tags: Vec<Annotation>) {
    let p = dir.join(name);
    std::fs::create_dir_all(p.parent().unwrap()).unwrap();
    std::fs::write(&p, text).unwrap();
    if !tags.is_empty() {
        Sidecar::new(&p, text, &AnnotationSet::new(tags))
            .save(&p.with_extension("ron"))
            .unwrap();
    }
}

/// The test corpus.
pub fn corpus(tmp: &Path) -> PathBuf {
    let c = tmp.join("corpus");
    write_article(
        &c,
        "a.txt",
        A,
        vec![
            tag(A, "a1", "PERSON", "Tô Lâm", 0, None),
            tag(
                A,
                "a2",
                "PERSON",
                "Tô Lâm",
                1,
                Some("Bộ trưởng, \"Bộ Công an\"\nghi chú"),
            ),
            tag(
                A,
                "a3",
                "TASK",
                "Ông Tô Lâm yêu cầu các bộ hoàn thành nhiệm vụ trước 30/6.",
                0,
                None,
            ),
            tag(A, "a4", "PERSON", "Hòa", 0, None),
            tag(A, "a5", "PERSON", "Hoà", 0, None),
            tag(A, "a6", "DIRECTIVE", "中文字", 0, None),
        ],
    );
    let nfd: String = "Chây ì nộp phạt nguội.\nÔng Nguyễn Văn Hòa nói: phải nộp phạt ngay."
        .nfd()
        .collect();
    write_article(
        &c,
        "b_nfd.txt",
        &nfd,
        vec![
            tag(
                &nfd,
                "b1",
                "PERSON",
                &"Nguyễn Văn Hòa".nfd().collect::<String>(),
                0,
                None,
            ),
            tag(
                &nfd,
                "b2",
                "TASK",
                &"nộp phạt nguội.\nÔng".nfd().collect::<String>(),
                0,
                Some("two lines"),
            ),
        ],
    );
    write_article(&c, "c_untagged.txt", "Không có thẻ nào 😀.\n", vec![]);
    // What real tools tripped on: a BOM, a tab inside a tag, CRLF, a line separator and NEL inside a
    // tag, a combining mark after a space, a note over two lines, a reviewed tag, a done article.
    let mut h1 = tag(D, "h1", "PERSON", "Lê\tMinh Hưng", 0, None);
    h1.review = Some(Review {
        verdict: Verdict::Accepted,
        reviewer: "rev".into(),
        time: "2026-11-27T10:00:00Z".into(),
    });
    h1.comment = Some("đúng người".into());
    let h2 = tag(
        D,
        "h2",
        "TASK",
        "phải làm\u{2028}ngay\u{85}hôm nay.",
        0,
        Some("một\u{2028}hai\r\nba"),
    );
    let h3 = tag(D, "h3", "PERSON", "Bà", 0, None);
    write_article(&c, "d_hostile.txt", D, vec![h1, h2, h3]);
    let mut sc = Sidecar::load(&c.join("d_hostile.ron")).unwrap().unwrap();
    sc.status = Status::Done;
    sc.comment = Some("đã soát\nhai dòng".into());
    sc.save(&c.join("d_hostile.ron")).unwrap();
    c
}

pub const D: &str =
    "\u{FEFF}Bà Lê\tMinh Hưng 😀 nói:\r\nphải làm\u{2028}ngay\u{85}hôm nay. Dấu \u{301} lạ.\r\n";
