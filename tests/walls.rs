//! The house's walls, checked on the source: the two shells never import each other, and no
//! module of either crate imports one that (through others) imports it back.
//!
//! The core's freedom from terminal and command-line crates is the compiler's to keep (it does not
//! depend on them; `.ci/run` also checks `cargo tree -p gloss-core`); what the compiler cannot see
//! is kept here. The imports are read from the text: every `crate::…`, `super::…` and `self::…`
//! path (in `use` trees and inline), resolved to the deepest module file it names. A parent's
//! re-export of its own child (`pub use child::X` in `mod.rs`) is how Rust lays out a module, not
//! an import, and is left out.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// The `.rs` files under `dir`, recursively.
fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for e in std::fs::read_dir(dir).unwrap().flatten() {
        let p = e.path();
        if p.is_dir() {
            rust_files(&p, out);
        } else if p.extension().is_some_and(|x| x == "rs") {
            out.push(p);
        }
    }
}

/// The module path of a file under a crate's `src` (`a/b.rs` and `a/b/mod.rs` are `a::b`).
fn module_of(src: &Path, file: &Path) -> Vec<String> {
    let rel = file.strip_prefix(src).unwrap();
    let mut parts: Vec<String> = rel
        .iter()
        .map(|s| s.to_string_lossy().into_owned())
        .collect();
    let last = parts.pop().unwrap();
    let stem = last.trim_end_matches(".rs");
    if !matches!(stem, "mod" | "lib" | "main") {
        parts.push(stem.to_string());
    }
    parts
}

/// The source without comments, string literals and the test module at the end of a file.
fn code_of(text: &str) -> String {
    let text = match text.find("#[cfg(test)]\nmod tests") {
        Some(i) => &text[..i],
        None => text,
    };
    let mut out = String::with_capacity(text.len());
    let b = text.as_bytes();
    let mut i = 0;
    while i < b.len() {
        if b[i..].starts_with(b"//") {
            while i < b.len() && b[i] != b'\n' {
                i += 1;
            }
        } else if b[i..].starts_with(b"/*") {
            let end = text[i + 2..].find("*/").map_or(b.len(), |e| i + 2 + e + 2);
            i = end;
        } else if b[i] == b'"' {
            // a string literal (raw strings in this code base hold no paths of interest)
            i += 1;
            while i < b.len() && b[i] != b'"' {
                i += if b[i] == b'\\' { 2 } else { 1 };
            }
            i += 1;
            out.push_str("\"\"");
        } else if b[i] == b'\'' && i + 2 < b.len() && (b[i + 2] == b'\'' || b[i + 1] == b'\\') {
            // a char literal such as '"' or '\\'
            let end = text[i + 1..].find('\'').map_or(b.len(), |e| i + 1 + e + 1);
            i = end.max(i + 3);
            out.push_str("' '");
        } else {
            let c = text[i..].chars().next().unwrap();
            out.push(c);
            i += c.len_utf8();
        }
    }
    out
}

/// Flatten a `use` tree (`a::{b, c::{d, e}}`) into its paths.
fn flatten_use(tree: &str) -> Vec<String> {
    // `X as Y` becomes `X@Y` (a name and its alias), then white space goes
    let tree = tree
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .replace(" as ", "@");
    let tree: String = tree.chars().filter(|c| !c.is_whitespace()).collect();
    let mut out = Vec::new();
    flatten_into("", &tree, &mut out);
    out
}

fn flatten_into(prefix: &str, tree: &str, out: &mut Vec<String>) {
    let Some(open) = tree.find('{') else {
        out.push(format!("{prefix}{tree}"));
        return;
    };
    let head = &tree[..open];
    let inner = &tree[open + 1..tree.len() - 1];
    let mut depth = 0;
    let mut start = 0;
    for (i, c) in inner.char_indices() {
        match c {
            '{' => depth += 1,
            '}' => depth -= 1,
            ',' if depth == 0 => {
                flatten_into(&format!("{prefix}{head}"), &inner[start..i], out);
                start = i + 1;
            }
            _ => {}
        }
    }
    if start < inner.len() {
        flatten_into(&format!("{prefix}{head}"), &inner[start..], out);
    }
}

/// Every path in `code` that starts at `crate`, `super` or `self`.
fn paths_in(code: &str) -> Vec<String> {
    let mut out = Vec::new();
    // use trees first, then what is left inline
    let mut rest = String::new();
    let mut i = 0;
    while let Some(u) = code[i..].find("use ") {
        let s = i + u;
        let word_start = s == 0 || !code.as_bytes()[s - 1].is_ascii_alphanumeric();
        let Some(end) = code[s..].find(';') else {
            break;
        };
        rest.push_str(&code[i..s]);
        if word_start {
            out.extend(flatten_use(&code[s + 4..s + end]));
        } else {
            rest.push_str(&code[s..s + end]);
        }
        i = s + end + 1;
    }
    rest.push_str(&code[i..]);
    let b = rest.as_bytes();
    for root in ["crate::", "super::", "self::"] {
        let mut from = 0;
        while let Some(k) = rest[from..].find(root) {
            let s = from + k;
            from = s + root.len();
            if s > 0 && (b[s - 1].is_ascii_alphanumeric() || b[s - 1] == b'_' || b[s - 1] == b':') {
                continue;
            }
            let end = rest[s..]
                .find(|c: char| !(c.is_alphanumeric() || c == '_' || c == ':'))
                .map_or(rest.len(), |e| s + e);
            out.push(rest[s..end].trim_end_matches(':').to_string());
        }
    }
    out.retain(|p| p.starts_with("crate::") || p.starts_with("super::") || p.starts_with("self::"));
    out
}

/// A crate's module files, and what each re-exports (`pub use …::X` makes `X` a name of the file).
struct Crate {
    /// module path to file (relative to `src`)
    modules: BTreeMap<Vec<String>, String>,
    /// file to its re-exported names and the paths they stand for, from that file
    reexports: BTreeMap<String, BTreeMap<String, String>>,
    files: Vec<(PathBuf, Vec<String>, String)>,
}

impl Crate {
    fn read(src: &Path) -> Crate {
        let mut paths = Vec::new();
        rust_files(src, &mut paths);
        let mut files = Vec::new();
        let mut modules = BTreeMap::new();
        let mut reexports = BTreeMap::new();
        for f in paths {
            let module = module_of(src, &f);
            let name = f.strip_prefix(src).unwrap().display().to_string();
            let code = code_of(&std::fs::read_to_string(&f).unwrap());
            let mut names = BTreeMap::new();
            let mut i = 0;
            while let Some(k) = code[i..].find("pub use ") {
                let s = i + k + "pub use ".len();
                let Some(e) = code[s..].find(';') else { break };
                for p in flatten_use(&code[s..s + e]) {
                    let (p, alias) = match p.split_once('@') {
                        Some((p, a)) => (p.to_string(), a.to_string()),
                        None => (p.clone(), p.rsplit("::").next().unwrap().to_string()),
                    };
                    names.insert(alias, p);
                }
                i = s + e;
            }
            modules.insert(module.clone(), name.clone());
            reexports.insert(name.clone(), names);
            files.push((f, module, name));
        }
        Crate {
            modules,
            reexports,
            files,
        }
    }

    /// The file that defines what `path` (as written in the file of module `here`) names: the
    /// deepest module file on it, through re-exports.
    fn resolve(&self, here: &[String], path: &str, depth: usize) -> Option<String> {
        let mut parts: Vec<&str> = path.split("::").collect();
        let mut module: Vec<String> = match parts[0] {
            "crate" => {
                parts.remove(0);
                Vec::new()
            }
            "self" => {
                parts.remove(0);
                here.to_vec()
            }
            "super" => {
                let mut m = here.to_vec();
                while parts.first() == Some(&"super") {
                    m.pop();
                    parts.remove(0);
                }
                m
            }
            // a path relative to the module (as `pub use child::X` is)
            _ => here.to_vec(),
        };
        let mut target = self.modules.get(&module)?.clone();
        for (i, seg) in parts.iter().enumerate() {
            module.push(seg.to_string());
            match self.modules.get(&module) {
                Some(t) => target = t.clone(),
                None => {
                    // an item of `target`: defined there, or re-exported from elsewhere
                    module.pop();
                    if depth < 8
                        && let Some(p) = self.reexports[&target].get(*seg)
                    {
                        let rest: Vec<&str> = parts[i + 1..].to_vec();
                        let full = if rest.is_empty() {
                            p.clone()
                        } else {
                            format!("{p}::{}", rest.join("::"))
                        };
                        let from: Vec<String> = module.clone();
                        return self.resolve(&from, &full, depth + 1).or(Some(target));
                    }
                    break;
                }
            }
        }
        Some(target)
    }
}

/// A crate's files and, for each, the other files of the crate it imports from.
fn import_graph(src: &Path) -> BTreeMap<String, BTreeSet<String>> {
    let krate = Crate::read(src);
    let mut graph = BTreeMap::new();
    for (f, here, name) in &krate.files {
        let is_mod_file = matches!(
            f.file_name().and_then(|n| n.to_str()),
            Some("mod.rs" | "lib.rs" | "main.rs")
        );
        let code = code_of(&std::fs::read_to_string(f).unwrap());
        let mut edges = BTreeSet::new();
        for p in paths_in(&code) {
            let p = p.split('@').next().unwrap_or(&p).to_string();
            let Some(target) = krate.resolve(here, &p, 0) else {
                continue;
            };
            if target == *name {
                continue;
            }
            // a module file naming its own child: the layout of a module, not an import
            let child_of_here = is_mod_file && {
                let t = krate
                    .modules
                    .iter()
                    .find(|(_, v)| **v == target)
                    .map(|(k, _)| k.clone())
                    .unwrap();
                t.len() > here.len() && t[..here.len()] == here[..]
            };
            if !child_of_here {
                edges.insert(target);
            }
        }
        graph.insert(name.clone(), edges);
    }
    graph
}

/// The cycles of `graph`, each as the files on it (one cycle per strongly connected component).
fn cycles(graph: &BTreeMap<String, BTreeSet<String>>) -> Vec<Vec<String>> {
    // Tarjan's strongly connected components
    struct T<'a> {
        g: &'a BTreeMap<String, BTreeSet<String>>,
        index: BTreeMap<&'a str, usize>,
        low: BTreeMap<&'a str, usize>,
        stack: Vec<&'a str>,
        on: BTreeSet<&'a str>,
        out: Vec<Vec<String>>,
    }
    fn visit<'a>(t: &mut T<'a>, v: &'a str) {
        let n = t.index.len();
        t.index.insert(v, n);
        t.low.insert(v, n);
        t.stack.push(v);
        t.on.insert(v);
        for w in t.g.get(v).into_iter().flatten() {
            let w = w.as_str();
            if !t.index.contains_key(w) {
                visit(t, w);
                let l = t.low[w].min(t.low[v]);
                t.low.insert(v, l);
            } else if t.on.contains(w) {
                let l = t.index[w].min(t.low[v]);
                t.low.insert(v, l);
            }
        }
        if t.low[v] == t.index[v] {
            let mut comp = Vec::new();
            while let Some(w) = t.stack.pop() {
                t.on.remove(w);
                comp.push(w.to_string());
                if w == v {
                    break;
                }
            }
            if comp.len() > 1 {
                comp.sort();
                t.out.push(comp);
            }
        }
    }
    let mut t = T {
        g: graph,
        index: BTreeMap::new(),
        low: BTreeMap::new(),
        stack: Vec::new(),
        on: BTreeSet::new(),
        out: Vec::new(),
    };
    for v in graph.keys() {
        if !t.index.contains_key(v.as_str()) {
            visit(&mut t, v);
        }
    }
    t.out
}

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

#[test]
fn the_shells_never_import_each_other() {
    let graph = import_graph(&root().join("src"));
    let mut crossing = Vec::new();
    for (file, edges) in &graph {
        for e in edges {
            if (file.starts_with("cli/") && e.starts_with("tui/"))
                || (file.starts_with("tui/") && e.starts_with("cli/"))
            {
                crossing.push(format!("{file} -> {e}"));
            }
        }
    }
    assert!(
        crossing.is_empty(),
        "the shells import each other: {crossing:?}"
    );
}

#[test]
fn no_module_imports_itself_round_a_cycle() {
    let mut found = Vec::new();
    for src in ["src", "gloss-core/src"] {
        let graph = import_graph(&root().join(src));
        assert!(graph.len() > 10, "the files of {src}");
        found.extend(cycles(&graph).into_iter().map(|c| (src, c)));
    }
    assert!(found.is_empty(), "import cycles: {found:#?}");
}

#[test]
fn the_reader_finds_imports_and_cycles() {
    // the checker itself: a use tree is flattened, super and self resolve, a cycle is found
    assert_eq!(
        flatten_use("crate::a::{B, c::{D, e}}"),
        ["crate::a::B", "crate::a::c::D", "crate::a::c::e"]
    );
    let code =
        code_of("use super::x::Y; // crate::not::this\nfn f() { crate::z::g(\"crate::q\") }");
    assert_eq!(paths_in(&code), ["super::x::Y", "crate::z::g"]);
    let mut g = BTreeMap::new();
    g.insert("a".to_string(), BTreeSet::from(["b".to_string()]));
    g.insert("b".to_string(), BTreeSet::from(["c".to_string()]));
    g.insert("c".to_string(), BTreeSet::from(["a".to_string()]));
    g.insert("d".to_string(), BTreeSet::from(["a".to_string()]));
    assert_eq!(cycles(&g), [["a", "b", "c"]]);
    // and on this crate it sees the core's documented imports, e.g. the store using annotation
    let core = import_graph(&root().join("gloss-core/src"));
    assert!(
        core["store/document.rs"].contains("annotation/mod.rs"),
        "{:?}",
        core["store/document.rs"]
    );
}
