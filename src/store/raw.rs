//! A small scanner over RON text that finds the fields of a struct and the items of a list as raw
//! text, so that fields this gloss does not know (written by a newer one) survive a save verbatim.

/// Skip white space and comments from `i`.
fn skip_ws(b: &[u8], mut i: usize) -> usize {
    loop {
        while i < b.len() && b[i].is_ascii_whitespace() {
            i += 1;
        }
        if b[i..].starts_with(b"//") {
            while i < b.len() && b[i] != b'\n' {
                i += 1;
            }
        } else if b[i..].starts_with(b"/*") {
            let mut depth = 0;
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
            return i;
        }
    }
}

/// Skip one value starting at `i` (which must not be white space); returns where it ends.
fn skip_value(b: &[u8], mut i: usize) -> Option<usize> {
    let mut depth = 0usize;
    loop {
        if i >= b.len() {
            return (depth == 0).then_some(i);
        }
        match b[i] {
            b'"' => {
                i += 1;
                while i < b.len() && b[i] != b'"' {
                    if b[i] == b'\\' {
                        i += 1;
                    }
                    i += 1;
                }
                i += 1;
            }
            b'r' if b.get(i + 1).is_some_and(|&c| c == b'"' || c == b'#') => {
                let mut hashes = 0;
                i += 1;
                while b.get(i) == Some(&b'#') {
                    hashes += 1;
                    i += 1;
                }
                i += 1; // the quote
                loop {
                    if i >= b.len() {
                        return None;
                    }
                    if b[i] == b'"'
                        && b[i + 1..]
                            .iter()
                            .take(hashes)
                            .filter(|&&c| c == b'#')
                            .count()
                            == hashes
                    {
                        i += 1 + hashes;
                        break;
                    }
                    i += 1;
                }
            }
            b'\'' => {
                i += 1;
                while i < b.len() && b[i] != b'\'' {
                    if b[i] == b'\\' {
                        i += 1;
                    }
                    i += 1;
                }
                i += 1;
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
    while i < b.len() && (b[i].is_ascii_alphanumeric() || b[i] == b'_') {
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
        while i < b.len() && (b[i].is_ascii_alphanumeric() || b[i] == b'_') {
            i += 1;
        }
        let name = text[start..i].to_string();
        i = skip_ws(b, i);
        if name.is_empty() || b.get(i) != Some(&b':') {
            return None;
        }
        i = skip_ws(b, i + 1);
        let end = skip_value(b, i)?;
        out.push((name, text[i..end].trim_end().to_string()));
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
        out.push(text[i..end].trim_end().to_string());
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
}
