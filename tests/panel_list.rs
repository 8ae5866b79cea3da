//! The page's panels have one owner: index.html's sections (`<section class="panel"
//! data-panel="SLUG">`), in the navigation's order. What else names them is checked against
//! it here, so that adding, removing or moving a panel in one place and not the others fails
//! `cargo test`: the navigation bar, www/main.js's mount map (a module per slug) and the
//! README's table of panels.

use std::fs;

fn read(path: &str) -> String {
    let full = format!("{}/{path}", env!("CARGO_MANIFEST_DIR"));
    fs::read_to_string(&full).unwrap_or_else(|error| panic!("{full}: {error}"))
}

/// The value of `attribute="…"` within `tag`, if it has one.
fn attribute<'a>(tag: &'a str, attribute: &str) -> Option<&'a str> {
    let start = tag.find(&format!(" {attribute}=\""))? + attribute.len() + 3;
    let length = tag[start..].find('"')?;
    Some(&tag[start..start + length])
}

/// Every tag of `html` that starts with `opening` ("<section class=\"panel\""), whole.
fn tags<'a>(html: &'a str, opening: &str) -> Vec<&'a str> {
    html.match_indices(opening)
        .filter_map(|(at, _)| html[at..].find('>').map(|end| &html[at..at + end]))
        .collect()
}

/// The owner: the panels' slugs in the page's order.
fn sections(html: &str) -> Vec<String> {
    tags(html, "<section class=\"panel\"")
        .iter()
        .map(|tag| {
            let slug = attribute(tag, "data-panel").expect("a panel section without data-panel");
            assert_eq!(attribute(tag, "id"), Some(slug), "a panel's id is its slug");
            slug.to_string()
        })
        .collect()
}

#[test]
fn the_navigation_links_every_panel_in_the_sections_order() {
    let html = read("index.html");
    let owner = sections(&html);
    assert!(!owner.is_empty(), "index.html has no panel sections");
    let nav_start = html
        .find("<nav aria-label=\"Panels\"")
        .expect("the panels' navigation");
    let nav = &html[nav_start..nav_start + html[nav_start..].find("</nav>").expect("</nav>")];
    let links: Vec<String> = tags(nav, "<a ")
        .iter()
        .map(|tag| {
            let slug = attribute(tag, "data-panel").expect("a navigation link without data-panel");
            assert_eq!(attribute(tag, "href"), Some(format!("#{slug}").as_str()));
            slug.to_string()
        })
        .collect();
    assert_eq!(links, owner);
}

#[test]
fn main_js_mounts_a_module_for_each_panel_and_no_other() {
    let owner = sections(&read("index.html"));
    let main = read("www/main.js");
    let map_start = main
        .find("const PANELS = new Map(Object.entries({")
        .expect("www/main.js's PANELS map");
    let map = &main[map_start..];
    let inner = &map[map.find("({").expect("({") + 2..map.find("})").expect("})")];
    let mounted: Vec<String> = inner
        .split(',')
        .map(|name| name.trim().to_string())
        .collect();
    assert_eq!(mounted, owner);
    for slug in &owner {
        assert!(
            main.contains(&format!("import * as {slug} from \"./panels/{slug}.js\";")),
            "www/main.js imports panels/{slug}.js"
        );
    }
}

#[test]
fn the_readme_lists_every_panel_in_the_sections_order() {
    let owner = sections(&read("index.html"));
    let readme = read("README.md");
    let start = readme
        .find("## What is on the page")
        .expect("README's panel section");
    let table = readme[start..]
        .lines()
        .skip_while(|line| !line.starts_with("| panel |"))
        .skip(2)
        .take_while(|line| line.starts_with('|'));
    let listed: Vec<String> = table
        .map(|row| {
            let slug = row.split('|').nth(2).expect("a slug column").trim();
            slug.trim_matches('`').to_string()
        })
        .collect();
    assert_eq!(listed, owner);
}
