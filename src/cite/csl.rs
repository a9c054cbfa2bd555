//! CSL styles through hayagriva's bundled archive (APA 7, MLA 9, Chicago 18 and the rest). A
//! page is modelled as a chapter of a book: that is the model under which hayagriva renders an
//! encyclopedia entry in its textbook form in APA (`Title. (n.d.). In Container. Publisher.
//! URL`), MLA (`"Title." Container, Publisher, URL.`) and Chicago. (As an `Entry` in a
//! `Reference`, hayagriva prints the container twice and moves the publisher into the author
//! position.) Plain text comes from `{:#}`, which leaves out the terminal's escape codes.

use anyhow::{Context, Result, anyhow};
use hayagriva::archive::ArchivedStyle;
use hayagriva::citationberg::{Locale, Style};
use hayagriva::{
    BibliographyDriver, BibliographyRequest, CitationItem, CitationRequest, LocatorPayload,
    SpecificLocator,
};
use serde_json::{Value, json};

use super::{Cited, Family, Page};
use hayagriva::citationberg::taxonomy::Locator;

/// True when the archive has a style by this name.
pub fn exists(name: &str) -> bool {
    ArchivedStyle::by_name(name).is_some()
}

/// Every archived style: its shortest name, and its full title with its other names.
pub fn archive() -> Vec<(String, String)> {
    ArchivedStyle::all()
        .iter()
        .filter_map(|style| {
            let names = style.names();
            let name = names.iter().min_by_key(|n| n.len())?;
            let others: Vec<&str> = names.iter().copied().filter(|n| n != name).collect();
            let mut about = style.display_name().to_string();
            if !others.is_empty() {
                about.push_str(&format!(" (also {})", others.join(", ")));
            }
            Some((name.to_string(), about))
        })
        .collect()
}

/// For each record: the in-text citation (or note), then the page's bibliography entry, with a
/// blank line between records.
pub fn render(cited: &[Cited], name: &str, family: Family) -> Result<String> {
    let style = match ArchivedStyle::by_name(name).map(ArchivedStyle::get) {
        Some(Style::Independent(style)) => style,
        Some(Style::Dependent(_)) => {
            return Err(anyhow!(
                "the style {name:?} depends on another style; use that one"
            ));
        }
        None => return Err(anyhow!("no CSL style named {name:?}")),
    };
    let locales = hayagriva::archive::locales();
    let mut blocks = Vec::new();
    for one in cited {
        let (citation, reference) = cite(one, &style, &locales, family)?;
        let mut block = citation;
        if !reference.is_empty() {
            block.push('\n');
            block.push_str(&reference);
        }
        blocks.push(block);
    }
    let mut out = blocks.join("\n\n");
    if !out.is_empty() {
        out.push('\n');
    }
    Ok(out)
}

/// The hayagriva entry of a page, built as the YAML (here JSON, a subset of it) its reader
/// takes, so that every field goes through hayagriva's own parsing.
fn entry(page: &Page) -> Result<hayagriva::Entry> {
    let mut item = json!({"type": "Chapter", "title": page.title});
    if let Some(container) = &page.container {
        let mut parent = json!({"type": "Book", "title": container});
        if let Some(publisher) = &page.publisher {
            parent["publisher"] = Value::String(publisher.clone());
        }
        item["parent"] = parent;
    } else if let Some(publisher) = &page.publisher {
        item["publisher"] = Value::String(publisher.clone());
    }
    if let Some(url) = &page.url {
        item["url"] = match &page.accessed {
            Some(date) => json!({"value": url, "date": date}),
            None => Value::String(url.clone()),
        };
    }
    let text = json!({ "page": item }).to_string();
    let library = hayagriva::io::from_yaml_str(&text)
        .map_err(|e| anyhow!("cannot model the page {:?} for CSL: {e}", page.title))?;
    library
        .get("page")
        .cloned()
        .context("the CSL model of the page is empty")
}

/// The locator of a passage: its section and paragraph, in the style's words.
fn locator(page: &Page, family: Family) -> Option<String> {
    let paragraph = page.paragraph.map(|n| match family {
        Family::Mla => format!("par. {n}"),
        _ => format!("para. {n}"),
    });
    let section = page.section.as_ref().map(|s| match family {
        Family::Apa => format!("{s} section"),
        _ => s.clone(),
    });
    match (section, paragraph) {
        (Some(s), Some(p)) => Some(format!("{s}, {p}")),
        (s, p) => s.or(p),
    }
}

fn cite(
    one: &Cited,
    style: &hayagriva::citationberg::IndependentStyle,
    locales: &[Locale],
    family: Family,
) -> Result<(String, String)> {
    let entry = entry(&one.page)?;
    let where_in = match one.person {
        Some(_) => None,
        None => locator(&one.page, family),
    };
    let item = CitationItem::with_locator(
        &entry,
        where_in
            .as_deref()
            .map(|s| SpecificLocator(Locator::Custom, LocatorPayload::Str(s))),
    );
    let mut driver = BibliographyDriver::new();
    driver.citation(CitationRequest::from_items(vec![item], style, locales));
    let rendered = driver.finish(BibliographyRequest {
        style,
        locale: None,
        locale_files: locales,
    });
    let citation = rendered
        .citations
        .first()
        .map(|c| format!("{:#}", c.citation))
        .unwrap_or_default();
    let reference = rendered
        .bibliography
        .and_then(|b| b.items.first().map(|i| format!("{:#}", i.content)))
        .unwrap_or_default();
    let citation = match &one.person {
        Some(person) => quoted_in(&citation, person, family),
        None => citation,
    };
    Ok((citation.trim().to_string(), reference.trim().to_string()))
}

/// Names the quote's author in a citation of the page, in the style's convention (the CSL
/// citation-item prefix, which hayagriva's items do not carry).
fn quoted_in(citation: &str, person: &super::Person, family: Family) -> String {
    let inner = citation
        .strip_prefix('(')
        .filter(|_| citation.ends_with(')'));
    match (family, inner) {
        (Family::Apa, Some(inner)) => format!("({}, as cited in {inner}", person.short()),
        (Family::Mla, Some(inner)) => format!("(qtd. in {inner}"),
        (Family::ChicagoDate | Family::Other, Some(inner)) => {
            format!("({}, quoted in {inner}", person.short())
        }
        _ => {
            let full = match person {
                super::Person::Split { family, given } => format!("{given} {family}"),
                super::Person::Literal(name) => name.clone(),
            };
            format!("{full}, quoted in {citation}")
        }
    }
}
