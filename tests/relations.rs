//! Entities and relations made as an annotator makes them: keys into the real app, the sidecar and
//! `entities.ron` read back from disk.

mod common;

use common::{Harness, SAMPLE};

/// Open the sample and tag Trương Thị Mai (PERSON), chỉ thị số 24 (DIRECTIVE) and, later, the given
/// name alone in "Bà Mai nêu rõ" (PERSON).
fn tagged() -> Harness {
    let mut h = Harness::sample();
    h.keys("<enter>/truong thi mai<enter>p");
    h.keys("/chi thi so 24<enter>d");
    h.keys("/ba mai<enter><esc>p");
    let sc = h.sidecar(SAMPLE);
    let texts: Vec<&str> = sc.tags.iter().map(|t| t.text.as_str()).collect();
    assert!(texts.contains(&"Trương Thị Mai"), "{texts:?}");
    assert!(texts.contains(&"chỉ thị số 24"), "{texts:?}");
    assert!(texts.contains(&"Mai"), "{texts:?}");
    h
}

fn id_of(h: &Harness, text: &str) -> String {
    h.sidecar(SAMPLE)
        .tags
        .iter()
        .find(|t| t.text == text)
        .unwrap()
        .id
        .clone()
}

#[test]
fn a_relation_made_with_keys_is_in_the_sidecar_and_named_in_the_status_bar() {
    let mut h = tagged();
    // on Mai's full name: A, then to the directive by a search, then enter
    h.keys("g/truong thi mai<enter><esc>A");
    assert!(h.status().contains("RELATE"), "{}", h.status());
    h.keys("/chi thi so 24<enter><enter>");
    let sc = h.sidecar(SAMPLE);
    assert_eq!(sc.relations.len(), 1, "{:?}", sc.relations);
    let r = &sc.relations[0];
    assert_eq!(r.label, "ISSUES");
    assert_eq!(r.head, id_of(&h, "Trương Thị Mai"));
    assert_eq!(r.tail, id_of(&h, "chỉ thị số 24"));
    assert!(h.message().contains("ISSUES"), "{}", h.message());
    // the directive's end of it, in the status bar
    h.keys("<esc>");
    assert!(
        h.status().contains("ISSUES ← Trương Thị Mai"),
        "{}",
        h.status()
    );
    // and the head's
    h.keys("g/truong thi mai<enter><esc>");
    assert!(
        h.status().contains("ISSUES → chỉ thị số 24"),
        "{}",
        h.status()
    );
    // the same link again is refused, and said
    h.keys("A/chi thi so 24<enter><enter>");
    assert_eq!(h.sidecar(SAMPLE).relations.len(), 1);
    assert!(h.message().contains("already"), "{}", h.message());
    // a type that does not fit the labels: PERSON → PERSON has none
    h.keys("<esc>g/truong thi mai<enter><esc>A/ba mai<enter><esc><enter>");
    assert!(h.message().contains("no relation type"), "{}", h.message());
    assert_eq!(h.sidecar(SAMPLE).relations.len(), 1);
}

#[test]
fn relation_types_come_from_gloss_ron_and_are_picked_by_key_or_number() {
    let mut h = Harness::with_corpus(|tmp| {
        let c = common::sample_corpus(tmp);
        std::fs::write(
            c.join("gloss.ron"),
            r#"(relations: Some([
                (name: "ISSUES", key: 'i', head: ["PERSON"], tail: ["DIRECTIVE"]),
                (name: "MENTIONS", key: 'm', head: ["PERSON"], tail: []),
            ]))"#,
        )
        .unwrap();
        c
    });
    h.keys("<enter>/truong thi mai<enter>p/chi thi so 24<enter>d/ba mai<enter><esc>p");
    h.keys("g/truong thi mai<enter><esc>A/chi thi so 24<enter><enter>");
    assert!(
        h.message().contains("1 or i ISSUES") && h.message().contains("2 or m MENTIONS"),
        "{}",
        h.message()
    );
    h.keys("m");
    let labels: Vec<String> = h
        .sidecar(SAMPLE)
        .relations
        .iter()
        .map(|r| r.label.clone())
        .collect();
    assert_eq!(labels, ["MENTIONS"]);
    h.keys("<esc>g/truong thi mai<enter><esc>A/chi thi so 24<enter><enter>1");
    let mut labels: Vec<String> = h
        .sidecar(SAMPLE)
        .relations
        .iter()
        .map(|r| r.label.clone())
        .collect();
    labels.sort();
    assert_eq!(labels, ["ISSUES", "MENTIONS"]);
    // the other tag picked with the mouse: a click on it, then enter
    h.keys("<esc>g/ba mai<enter><esc>A/chi thi so 24<enter><esc>k");
    let r = h.app.state.reader.as_ref().unwrap();
    assert!(r.tags().innermost_at(r.cursor_char()).is_none());
    let (col, row) = h.find_on_screen("chỉ thị số 24").unwrap();
    h.click(col + 2, row);
    h.keys("<enter>i");
    let ba_mai = h
        .sidecar(SAMPLE)
        .tags
        .iter()
        .find(|t| t.text == "Mai")
        .map(|t| t.id.clone());
    assert!(
        h.sidecar(SAMPLE)
            .relations
            .iter()
            .any(|r| r.label == "ISSUES" && Some(&r.head) == ba_mai.as_ref()),
        "{:?}",
        h.sidecar(SAMPLE).relations
    );
    // esc while picking a type makes nothing
    h.keys("<esc>g/ba mai<enter><esc>A/chi thi so 24<enter><enter><esc>");
    assert_eq!(h.sidecar(SAMPLE).relations.len(), 3);
}

#[test]
fn the_list_jumps_along_deletes_and_undo_brings_back_with_the_tag() {
    let mut h = tagged();
    h.keys("g/truong thi mai<enter><esc>A/chi thi so 24<enter><enter>");
    assert_eq!(h.sidecar(SAMPLE).relations.len(), 1);
    // V on the head lists its relation; enter jumps to the other end
    h.keys("<esc>g/truong thi mai<enter><esc>V");
    assert!(h.screen().contains("Relations of “Trương Thị Mai”"));
    assert!(
        h.screen()
            .contains("PERSON “Trương Thị Mai” —ISSUES→ DIRECTIVE “chỉ thị số 24”"),
        "{}",
        h.screen()
    );
    h.keys("<enter>");
    let r = h.app.state.reader.as_ref().unwrap();
    let under = r.tags().innermost_at(r.cursor_char()).unwrap();
    assert_eq!(under.text, "chỉ thị số 24");
    // x in the list deletes it; u brings it back
    h.keys("Vx");
    assert!(h.sidecar(SAMPLE).relations.is_empty());
    h.keys("<esc>u");
    assert_eq!(h.sidecar(SAMPLE).relations.len(), 1);
    assert!(h.message().contains("undone"), "{}", h.message());
    // undo landed on the relation's head
    let r = h.app.state.reader.as_ref().unwrap();
    let under = r.tags().innermost_at(r.cursor_char()).unwrap();
    assert_eq!(under.text, "Trương Thị Mai");
    // deleting the directive's tag takes the relation with it, in one step
    h.keys("/chi thi so 24<enter><esc>x");
    let sc = h.sidecar(SAMPLE);
    assert!(sc.relations.is_empty());
    assert!(!sc.tags.iter().any(|t| t.text == "chỉ thị số 24"));
    h.keys("u");
    let sc = h.sidecar(SAMPLE);
    assert_eq!(sc.relations.len(), 1);
    assert!(sc.tags.iter().any(|t| t.text == "chỉ thị số 24"));
    // and the reader marks both ends: underlined
    let (col, row) = h.find_on_screen("chỉ thị số 24").unwrap();
    let cell = &h.buffer()[(col + 1, row)];
    assert!(
        cell.modifier.contains(ratatui::style::Modifier::UNDERLINED),
        "{cell:?}"
    );
}

#[test]
fn entity_links_propose_the_full_name_complete_accent_insensitively_and_unlink() {
    let mut h = tagged();
    // on "Mai" alone: the prompt proposes the full name mentioned earlier
    h.keys("g/ba mai<enter><esc>L");
    assert!(
        h.message()
            .contains("entity of the PERSON tag: Trương Thị Mai"),
        "{}",
        h.message()
    );
    assert!(h.message().contains("new entity"), "{}", h.message());
    h.keys("<enter>");
    let reg = std::fs::read_to_string(h.corpus.join("entities.ron")).unwrap();
    assert!(reg.contains("person-truong-thi-mai"), "{reg}");
    assert!(reg.contains("\"Trương Thị Mai\""), "{reg}");
    let linked = |h: &Harness, text: &str| {
        h.sidecar(SAMPLE)
            .tags
            .iter()
            .find(|t| t.text == text)
            .unwrap()
            .entity
            .clone()
    };
    assert_eq!(linked(&h, "Mai").as_deref(), Some("person-truong-thi-mai"));
    assert!(h.status().contains("= Trương Thị Mai"), "{}", h.status());
    // the full name: found in the registry, linked to the same entity
    h.keys("g/truong thi mai<enter><esc>L");
    assert!(
        h.message()
            .contains("= Trương Thị Mai [person-truong-thi-mai]"),
        "{}",
        h.message()
    );
    h.keys("<enter>");
    assert_eq!(
        linked(&h, "Trương Thị Mai").as_deref(),
        Some("person-truong-thi-mai")
    );
    // Tô Lâm: typed without accents, tab completes to a name in the registry
    h.keys("/to lam<enter>p");
    h.keys("L");
    for _ in 0..10 {
        h.keys("<bs>");
    }
    h.keys("truong<tab>");
    assert!(
        h.message()
            .contains("entity of the PERSON tag: Trương Thị Mai"),
        "{}",
        h.message()
    );
    // a new name makes a new entity instead
    for _ in 0..20 {
        h.keys("<bs>");
    }
    h.keys("To Lam<enter>");
    assert_eq!(linked(&h, "Tô Lâm").as_deref(), Some("person-to-lam"));
    // U unlinks; u links again
    h.keys("U");
    assert_eq!(linked(&h, "Tô Lâm"), None);
    h.keys("u");
    assert_eq!(linked(&h, "Tô Lâm").as_deref(), Some("person-to-lam"));
    // the registry holds both, after a restart too
    h.reopen();
    let reg = gloss_core::entity::Registry::load(&h.corpus).unwrap();
    let names: Vec<&str> = reg.entities().iter().map(|e| e.name.as_str()).collect();
    assert_eq!(names, ["To Lam", "Trương Thị Mai"]);
}

#[test]
fn a_directive_shows_its_normalised_name_and_links_to_the_same_directive() {
    let mut h = tagged();
    h.keys("g/chi thi so 24<enter><esc>");
    assert!(h.status().contains("≈ Chỉ thị số 24"), "{}", h.status());
    h.keys("L");
    assert!(
        h.message()
            .contains("entity of the DIRECTIVE tag: Chỉ thị số 24"),
        "{}",
        h.message()
    );
    h.keys("<enter>");
    let reg = gloss_core::entity::Registry::load(&h.corpus).unwrap();
    assert_eq!(reg.entities()[0].id, "directive-ct-24");
    // a later spelling with the code finds it by the rule
    assert_eq!(
        reg.find("DIRECTIVE", "Chỉ thị số 24-CT/TW")
            .map(|e| e.id.as_str()),
        Some("directive-ct-24")
    );
}

#[test]
fn review_mode_walks_the_relations_after_the_tags() {
    let mut h = tagged();
    h.keys("g/truong thi mai<enter><esc>A/chi thi so 24<enter><enter><esc>");
    h.keys("gR");
    assert!(h.status().contains("REVIEW 0/4"), "{}", h.status());
    // three tags accepted; then the relation list opens on the relation
    h.keys("aaa");
    assert!(
        h.screen().contains("Relations in this article"),
        "{}",
        h.screen()
    );
    assert!(h.status().contains("RELATIONS"), "{}", h.status());
    h.keys("X");
    let sc = h.sidecar(SAMPLE);
    assert_eq!(
        sc.relations[0].review.as_ref().map(|r| r.verdict),
        Some(gloss_core::annotation::Verdict::Rejected)
    );
    assert!(h.message().contains("4 of 4"), "{}", h.message());
}

#[test]
fn tag_all_copies_the_link_and_an_accepted_suggestion_links_to_its_entity() {
    let mut h = Harness::with_corpus(|tmp| {
        let c = common::sample_corpus(tmp);
        std::fs::write(
            c.join("entities.ron"),
            r#"(format: 1, entities: [
                (id: "person-le-minh-hung", label: "PERSON", name: "Lê Minh Hưng"),
                (id: "person-truong-thi-mai", label: "PERSON", name: "Trương Thị Mai"),
            ])"#,
        )
        .unwrap();
        c
    });
    // a tag whose text is an entity's name: the status bar says what L would link it to
    h.keys("<enter>/truong thi mai<enter>p");
    assert!(h.status().contains("L → Trương Thị Mai?"), "{}", h.status());
    h.keys("L<enter>*");
    let linked: Vec<Option<String>> = h
        .sidecar(SAMPLE)
        .tags
        .iter()
        .filter(|t| t.text == "Trương Thị Mai")
        .map(|t| t.entity.clone())
        .collect();
    assert!(linked.len() > 1, "{linked:?}");
    assert!(
        linked
            .iter()
            .all(|e| e.as_deref() == Some("person-truong-thi-mai")),
        "{linked:?}"
    );
    // a suggestion of a name the registry has: accepted, it is linked
    h.keys("g/le minh hung<enter><esc>");
    assert!(
        h.app
            .state
            .reader
            .as_ref()
            .unwrap()
            .suggestions
            .iter()
            .any(|s| s.label == "PERSON"),
        "no suggestion to accept"
    );
    h.keys("y");
    assert!(h.message().contains("→ Lê Minh Hưng"), "{}", h.message());
    let t = h
        .sidecar(SAMPLE)
        .tags
        .into_iter()
        .find(|t| t.text == "Lê Minh Hưng")
        .unwrap();
    assert_eq!(t.entity.as_deref(), Some("person-le-minh-hung"));
}

#[test]
fn help_lists_the_relation_types_and_the_registry() {
    let mut h = Harness::sample();
    h.keys("?");
    // scroll through the whole help, keeping every screen seen
    let mut screen = h.screen();
    for _ in 0..240 {
        h.keys("j");
        screen.push_str(&h.screen());
    }
    assert!(screen.contains("ISSUES — PERSON → DIRECTIVE"));
    assert!(screen.contains("ASSIGNEE — TASK → PERSON"));
    assert!(screen.contains("entities.ron (0 entities)"));
}

/// Undoing the link that made an entity takes the entity out of `entities.ron` too (nothing else
/// names it); redo brings it back; an entity the link found is never taken out.
#[test]
fn undoing_the_link_that_made_an_entity_takes_it_out_of_the_registry_and_redo_brings_it_back() {
    let mut h = tagged();
    let reg = |h: &Harness| std::fs::read_to_string(h.corpus.join("entities.ron")).unwrap();
    h.keys("g/truong thi mai<enter><esc>L<enter>");
    assert!(h.message().contains("new entity"), "{}", h.message());
    assert!(reg(&h).contains("person-truong-thi-mai"), "{}", reg(&h));
    h.keys("u");
    assert!(h.message().contains("undone"), "{}", h.message());
    assert!(!reg(&h).contains("person-truong-thi-mai"), "{}", reg(&h));
    let entity_of_mai = |h: &Harness| {
        h.sidecar(SAMPLE)
            .tags
            .iter()
            .find(|t| t.text == "Trương Thị Mai")
            .unwrap()
            .entity
            .clone()
    };
    assert_eq!(entity_of_mai(&h), None);
    h.keys("<c-r>");
    assert!(reg(&h).contains("person-truong-thi-mai"), "{}", reg(&h));
    assert_eq!(entity_of_mai(&h).as_deref(), Some("person-truong-thi-mai"));
    // "Mai" linked to the same entity, which it found: undoing that link keeps the entity
    h.keys("g/ba mai<enter><esc>L<enter>");
    assert!(!h.message().contains("new entity"), "{}", h.message());
    h.keys("u");
    assert!(reg(&h).contains("person-truong-thi-mai"), "{}", reg(&h));
    // and after a restart, the registry is as the session left it
    h.reopen();
    let names: Vec<String> = gloss_core::entity::Registry::load(&h.corpus)
        .unwrap()
        .entities()
        .iter()
        .map(|e| e.name.clone())
        .collect();
    assert_eq!(names, ["Trương Thị Mai"]);
}
