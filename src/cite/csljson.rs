//! CSL-JSON: an array of items, each with `id` and `type`. Authors are `family`/`given`, or
//! `literal` for "Bible", "Anonymous" and the like; dates are `date-parts`.

use anyhow::Result;
use serde_json::{Value, json};

use super::{Cited, Person};

/// The items as one pretty-printed JSON array.
pub fn render(cited: &[Cited]) -> Result<String> {
    let items: Vec<Value> = cited.iter().map(item).collect();
    let mut out = serde_json::to_string_pretty(&items)?;
    out.push('\n');
    Ok(out)
}

fn item(one: &Cited) -> Value {
    let page = &one.page;
    let kind = if page.container.is_some() {
        "entry-encyclopedia"
    } else {
        "webpage"
    };
    let mut item = json!({
        "id": one.entry.id,
        "type": kind,
        "title": page.title,
    });
    let mut set = |key: &str, value: Value| {
        if let Some(map) = item.as_object_mut() {
            map.insert(key.to_string(), value);
        }
    };
    if let Some(person) = &one.person {
        let author = match person {
            Person::Split { family, given } => json!({"family": family, "given": given}),
            Person::Literal(name) => json!({"literal": name}),
        };
        set("author", json!([author]));
        set(
            "note",
            Value::String(format!("Quoted in “{}”: {}", page.title, one.entry.text)),
        );
    } else {
        set("note", Value::String(one.entry.text.clone()));
    }
    if let Some(section) = &page.section {
        set("section", Value::String(section.clone()));
    }
    if let Some(container) = &page.container {
        set("container-title", Value::String(container.clone()));
    }
    if let Some(publisher) = &page.publisher {
        set("publisher", Value::String(publisher.clone()));
    }
    if let Some(url) = &page.url {
        set("URL", Value::String(url.clone()));
    }
    if let Some(parts) = page.accessed.as_deref().and_then(date_parts) {
        set("accessed", json!({ "date-parts": [parts] }));
    }
    // A quotation's own date is unknown; its author's life bounds it, which is what CSL's
    // original-date is for when a later page reprints older words.
    if let Some(died) = one.entry.author.as_ref().and_then(|a| a.died) {
        set("original-date", json!({ "date-parts": [[died]] }));
    }
    if let Some(n) = page.paragraph {
        set("locator", Value::String(n.to_string()));
        set("label", Value::String("paragraph".to_string()));
    }
    if !one.entry.keywords.is_empty() {
        set("keyword", Value::String(one.entry.keywords.join(", ")));
    }
    item
}

/// `2026-11-23` → `[2026, 11, 23]`.
fn date_parts(date: &str) -> Option<Vec<i64>> {
    date.split('-').map(|p| p.parse().ok()).collect()
}
