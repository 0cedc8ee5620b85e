//! A small scanner over RON text that finds the fields of a struct and the items of a list as raw
//! text, so that fields this gloss does not know (written by a newer one) survive a save verbatim,
//! and so that the sidecar writer can lay out what serde wrote. It never panics: text it cannot
//! follow (an unterminated string, unbalanced brackets) gives `None`.

/// Skip white space and comments from `i`.
fn skip_ws(b: &[u8], mut i: usize) -> usize {
    loop {
        while b.get(i).is_some_and(u8::is_ascii_whitespace) {
            i += 1;
        }
        let rest = b.get(i..).unwrap_or_default();
        if rest.starts_with(b"//") {
            while b.get(i).is_some_and(|&c| c != b'\n') {
                i += 1;
            }
        } else if rest.starts_with(b"/*") {
            let mut depth = 0usize;
            while i < b.len() {
                if b[i..].starts_with(b"/*") {
                    depth += 1;
                    i += 2;
                } else if b[i..].starts_with(b"*/") {
                    depth -= 1;
                    i += 2;
                    if depth == 0 {
                        break;
                    }
                } else {
                    i += 1;
                }
            }
        } else {
            return i.min(b.len());
        }
    }
}

fn is_ident_byte(c: u8) -> bool {
    c.is_ascii_alphanumeric() || c == b'_' || c >= 0x80
}

/// The end of a quoted string or char starting at `i` (on its opening `quote`), or `None` if it is
/// not closed.
fn skip_quoted(b: &[u8], mut i: usize, quote: u8) -> Option<usize> {
    i += 1;
    while let Some(&c) = b.get(i) {
        if c == b'\\' {
            i += 2;
        } else if c == quote {
            return Some(i + 1);
        } else {
            i += 1;
        }
    }
    None
}

/// The end of a raw string `r#"…"#` starting at `i` (on the `r`), or `None`.
fn skip_raw_string(b: &[u8], i: usize) -> Option<usize> {
    let mut j = i + 1;
    let mut hashes = 0;
    while b.get(j) == Some(&b'#') {
        hashes += 1;
        j += 1;
    }
    if b.get(j) != Some(&b'"') {
        return None;
    }
    j += 1;
    loop {
        let q = j + b.get(j..)?.iter().position(|&c| c == b'"')?;
        let closing = b.get(q + 1..q + 1 + hashes)?;
        if closing.iter().all(|&c| c == b'#') {
            return Some(q + 1 + hashes);
        }
        j = q + 1;
    }
}

/// Skip one value starting at `i` (which must not be white space); returns where it ends.
fn skip_value(b: &[u8], mut i: usize) -> Option<usize> {
    let mut depth = 0usize;
    loop {
        let Some(&c) = b.get(i) else {
            return (depth == 0).then_some(b.len());
        };
        match c {
            b'"' => i = skip_quoted(b, i, b'"')?,
            b'\'' => i = skip_quoted(b, i, b'\'')?,
            // a raw string (`r"…"`, `r#"…"#`); `r#name` is a raw identifier
            b'r' if (i == 0 || !is_ident_byte(b[i - 1]))
                && matches!(b.get(i + 1), Some(b'"' | b'#'))
                && b[i + 1..].iter().find(|&&c| c != b'#') == Some(&b'"') =>
            {
                i = skip_raw_string(b, i)?;
            }
            b'(' | b'[' | b'{' => {
                depth += 1;
                i += 1;
            }
            b')' | b']' | b'}' => {
                if depth == 0 {
                    return Some(i);
                }
                depth -= 1;
                i += 1;
            }
            b',' if depth == 0 => return Some(i),
            b'/' if b[i..].starts_with(b"//") || b[i..].starts_with(b"/*") => i = skip_ws(b, i),
            _ => i += 1,
        }
    }
}

/// The `name: value` fields of the struct `text` (`(a: 1, b: [..])`, optionally named), each with the
/// raw text of its value. `None` if it is not such a struct.
pub fn struct_fields(text: &str) -> Option<Vec<(String, String)>> {
    let b = text.as_bytes();
    let mut i = skip_ws(b, 0);
    while b.get(i).is_some_and(|&c| is_ident_byte(c)) {
        i += 1; // a struct name
    }
    i = skip_ws(b, i);
    if b.get(i) != Some(&b'(') {
        return None;
    }
    i += 1;
    let mut out = Vec::new();
    loop {
        i = skip_ws(b, i);
        match b.get(i) {
            Some(b')') => return Some(out),
            None => return None,
            _ => {}
        }
        let start = i;
        if b[i..].starts_with(b"r#") {
            i += 2;
        }
        while b.get(i).is_some_and(|&c| is_ident_byte(c)) {
            i += 1;
        }
        let name = text.get(start..i)?.to_string();
        i = skip_ws(b, i);
        if name.is_empty() || b.get(i) != Some(&b':') {
            return None;
        }
        i = skip_ws(b, i + 1);
        let end = skip_value(b, i)?;
        out.push((name, text.get(i..end)?.trim_end().to_string()));
        i = skip_ws(b, end);
        if b.get(i) == Some(&b',') {
            i += 1;
        }
    }
}

/// The items of the list `text` (`[a, b]`) as raw text.
pub fn list_items(text: &str) -> Option<Vec<String>> {
    let b = text.as_bytes();
    let mut i = skip_ws(b, 0);
    if b.get(i) != Some(&b'[') {
        return None;
    }
    i += 1;
    let mut out = Vec::new();
    loop {
        i = skip_ws(b, i);
        match b.get(i) {
            Some(b']') => return Some(out),
            None => return None,
            _ => {}
        }
        let end = skip_value(b, i)?;
        if end == i {
            return None; // a closing bracket of the wrong kind
        }
        out.push(text.get(i..end)?.trim_end().to_string());
        i = skip_ws(b, end);
        if b.get(i) == Some(&b',') {
            i += 1;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fields_and_items() {
        let t = r##"( a: 1, // note
            b: "x,)\"", c: (d: [1, (2)]), e: r#"q"(,"#, f: ',',
            tags: [ (id: "1"), (id: "2", z: Foo(3)), ], )"##;
        let f = struct_fields(t).unwrap();
        let names: Vec<&str> = f.iter().map(|(n, _)| n.as_str()).collect();
        assert_eq!(names, ["a", "b", "c", "e", "f", "tags"]);
        assert_eq!(f[1].1, r#""x,)\"""#);
        assert_eq!(f[2].1, "(d: [1, (2)])");
        assert_eq!(f[4].1, "','");
        let items = list_items(&f[5].1).unwrap();
        assert_eq!(items, ["(id: \"1\")", "(id: \"2\", z: Foo(3))"]);
        assert_eq!(
            struct_fields(&items[1]).unwrap()[1],
            ("z".into(), "Foo(3)".into())
        );
        assert!(struct_fields("[1]").is_none());
        assert!(struct_fields("(a: (").is_none());
    }

    #[test]
    fn raw_identifiers_and_broken_text_never_panic() {
        // The attack's sidecar: a raw identifier as a value, then a string ending in `\"#`.
        let f = struct_fields(r##"(zz: r#abc, ww: "x\"#", r#type: 1)"##).unwrap();
        assert_eq!(
            f,
            [
                ("zz".to_string(), "r#abc".to_string()),
                ("ww".to_string(), r##""x\"#""##.to_string()),
                ("r#type".to_string(), "1".to_string())
            ]
        );
        for bad in [
            "(a: \"open",
            "(a: r#\"open\"",
            "(a: 'x",
            "(a: r##",
            "(a: [1, 2)",
            "(a: /* never closed",
            "(a: \"\\",
            "(",
            "r",
        ] {
            assert!(struct_fields(bad).is_none(), "{bad}");
        }
        assert!(list_items("[1, )]").is_none());
    }
}
