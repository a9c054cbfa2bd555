//! Markdown: the text as a blockquote, the attribution, then the source line.

use super::Cited;

/// One block per record, separated by blank lines.
pub fn render(cited: &[Cited]) -> String {
    let mut blocks = Vec::new();
    for one in cited {
        let mut block = String::new();
        for line in one.entry.text.lines() {
            block.push_str(&format!("> {line}\n"));
        }
        if let Some(author) = &one.entry.author {
            block.push_str(">\n");
            block.push_str(&format!("> — {}\n", author.raw));
        }
        block.push('\n');
        block.push_str(&source(one));
        block.push('\n');
        blocks.push(block);
    }
    blocks.join("\n")
}

/// `Quoted in *Title*, Section. Container, Publisher. <URL>, accessed DATE. (path:lines)`
fn source(one: &Cited) -> String {
    let page = &one.page;
    let mut parts = Vec::new();
    let mut first = match one.person {
        Some(_) => format!("Quoted in *{}*", page.title),
        None => format!("*{}*", page.title),
    };
    if let Some(section) = &page.section {
        first.push_str(&format!(", {section}"));
    }
    if let (None, Some(n)) = (&one.person, page.paragraph) {
        first.push_str(&format!(", para. {n}"));
    }
    parts.push(first);
    let publication: Vec<&str> = [page.container.as_deref(), page.publisher.as_deref()]
        .into_iter()
        .flatten()
        .collect();
    if !publication.is_empty() {
        parts.push(publication.join(", "));
    }
    if let Some(url) = &page.url {
        let mut link = format!("<{url}>");
        if let Some(date) = &page.accessed {
            link.push_str(&format!(", accessed {date}"));
        }
        parts.push(link);
    }
    format!(
        "{}. ({}:{}-{})",
        parts.join(". "),
        page.path,
        page.line_start,
        page.line_end
    )
}
