//! RIS: `TY` first and `ER` last, CRLF line ends. A page in a named encyclopedia is `ENCYC`,
//! any other page `ELEC`.

use super::Cited;

/// One RIS record per cited record.
pub fn render(cited: &[Cited]) -> String {
    let mut out = String::new();
    for one in cited {
        let page = &one.page;
        let kind = if page.container.is_some() {
            "ENCYC"
        } else {
            "ELEC"
        };
        let mut line = |tag: &str, value: &str| {
            // A value cannot hold a line break: RIS reads one tag per line.
            let value = value.replace(['\r', '\n'], " ");
            out.push_str(&format!("{tag}  - {value}\r\n"));
        };
        line("TY", kind);
        if let Some(person) = &one.person {
            line("AU", &person.inverted());
        }
        line("TI", &page.title);
        if let Some(container) = &page.container {
            line("T2", container);
        } else if let Some(section) = &page.section {
            line("T2", section);
        }
        if let Some(publisher) = &page.publisher {
            line("PB", publisher);
        }
        if let Some(url) = &page.url {
            line("UR", url);
        }
        if let Some(date) = &page.accessed {
            line("Y2", &date.replace('-', "/"));
        }
        for keyword in &one.entry.keywords {
            line("KW", keyword);
        }
        let note = match &one.person {
            Some(_) => format!("Quoted in \"{}\": {}", page.title, one.entry.text),
            None => one.entry.text.clone(),
        };
        line("N1", &note);
        line("ID", &one.entry.id);
        line("ER", "");
    }
    out
}
