//! Markdown for model replies, built as Leptos views from pulldown-cmark's events. Raw HTML in the source is
//! shown as text, links keep only `http:`, `https:` and `mailto:` targets, images become their alt text, and
//! nothing goes through `inner_html`.

use leptos::prelude::*;
use pulldown_cmark::{CodeBlockKind, Event, HeadingLevel, Options, Parser, Tag};

/// One node of a parsed reply.
#[derive(Debug, Clone, PartialEq)]
enum Node {
    Text(String),
    Code(String),
    LineBreak,
    Rule,
    Element(Kind, Vec<Node>),
}

/// The elements a reply may contain; anything else keeps only its children.
#[derive(Debug, Clone, PartialEq)]
enum Kind {
    Paragraph,
    Heading(u8),
    Quote,
    CodeBlock(Option<String>),
    List(Option<u64>),
    Item,
    Emphasis,
    Strong,
    Strikethrough,
    Link(String),
    Plain,
}

/// A link target the console will follow: web and mail links only, so `javascript:` and `data:` never are.
fn safe_href(url: &str) -> Option<String> {
    let url = url.trim();
    let lower = url.to_ascii_lowercase();
    ["http://", "https://", "mailto:"]
        .iter()
        .any(|scheme| lower.starts_with(scheme))
        .then(|| url.to_owned())
}

/// `rust,ignore` → `language-rust`; only letters, digits, `+`, `-` and `_` are kept.
fn language_class(info: &str) -> Option<String> {
    let name: String = info
        .split([' ', ','])
        .next()?
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || "+-_".contains(*c))
        .collect();
    (!name.is_empty()).then(|| format!("language-{name}"))
}

fn kind_of(tag: Tag<'_>) -> Kind {
    match tag {
        // An HTML block is shown as its source text, in a paragraph.
        Tag::Paragraph | Tag::HtmlBlock => Kind::Paragraph,
        Tag::Heading { level, .. } => Kind::Heading(heading_number(level)),
        Tag::BlockQuote(_) => Kind::Quote,
        Tag::CodeBlock(CodeBlockKind::Fenced(info)) => Kind::CodeBlock(language_class(&info)),
        Tag::CodeBlock(CodeBlockKind::Indented) => Kind::CodeBlock(None),
        Tag::List(start) => Kind::List(start),
        Tag::Item => Kind::Item,
        Tag::Emphasis => Kind::Emphasis,
        Tag::Strong => Kind::Strong,
        Tag::Strikethrough => Kind::Strikethrough,
        Tag::Link { dest_url, .. } => safe_href(&dest_url).map_or(Kind::Plain, Kind::Link),
        _ => Kind::Plain,
    }
}

fn heading_number(level: HeadingLevel) -> u8 {
    match level {
        HeadingLevel::H1 => 1,
        HeadingLevel::H2 => 2,
        HeadingLevel::H3 => 3,
        HeadingLevel::H4 => 4,
        HeadingLevel::H5 => 5,
        HeadingLevel::H6 => 6,
    }
}

/// Builds the node tree from the parser's events.
fn parse(text: &str) -> Vec<Node> {
    let mut stack: Vec<(Kind, Vec<Node>)> = vec![(Kind::Plain, Vec::new())];
    for event in Parser::new_ext(text, Options::ENABLE_STRIKETHROUGH) {
        let node = match event {
            Event::Start(tag) => {
                stack.push((kind_of(tag), Vec::new()));
                continue;
            }
            Event::End(_) if stack.len() > 1 => {
                let Some((kind, children)) = stack.pop() else {
                    continue;
                };
                Node::Element(kind, children)
            }
            Event::End(_) => continue,
            Event::Text(text)
            | Event::Html(text)
            | Event::InlineHtml(text)
            | Event::InlineMath(text)
            | Event::DisplayMath(text)
            | Event::FootnoteReference(text) => Node::Text(text.into_string()),
            Event::Code(code) => Node::Code(code.into_string()),
            Event::SoftBreak => Node::Text("\n".to_owned()),
            Event::HardBreak => Node::LineBreak,
            Event::Rule => Node::Rule,
            Event::TaskListMarker(done) => {
                Node::Text(if done { "[x] " } else { "[ ] " }.to_owned())
            }
        };
        if let Some((_, children)) = stack.last_mut() {
            children.push(node);
        }
    }
    // Unclosed elements (never produced by the parser) are flattened into their parent.
    while stack.len() > 1 {
        if let Some((kind, children)) = stack.pop() {
            if let Some((_, parent)) = stack.last_mut() {
                parent.push(Node::Element(kind, children));
            }
        }
    }
    stack.pop().map(|(_, nodes)| nodes).unwrap_or_default()
}

fn render(nodes: Vec<Node>) -> AnyView {
    nodes.into_iter().map(render_node).collect_view().into_any()
}

fn render_node(node: Node) -> AnyView {
    match node {
        Node::Text(text) => text.into_any(),
        Node::Code(code) => view! { <code>{code}</code> }.into_any(),
        Node::LineBreak => view! { <br/> }.into_any(),
        Node::Rule => view! { <hr/> }.into_any(),
        Node::Element(kind, children) => render_element(kind, render(children)),
    }
}

fn render_element(kind: Kind, children: AnyView) -> AnyView {
    match kind {
        Kind::Paragraph => view! { <p>{children}</p> }.into_any(),
        Kind::Heading(1) => view! { <h1>{children}</h1> }.into_any(),
        Kind::Heading(2) => view! { <h2>{children}</h2> }.into_any(),
        Kind::Heading(3) => view! { <h3>{children}</h3> }.into_any(),
        Kind::Heading(4) => view! { <h4>{children}</h4> }.into_any(),
        Kind::Heading(5) => view! { <h5>{children}</h5> }.into_any(),
        Kind::Heading(_) => view! { <h6>{children}</h6> }.into_any(),
        Kind::Quote => view! { <blockquote>{children}</blockquote> }.into_any(),
        Kind::CodeBlock(class) => {
            view! { <pre><code class=class>{children}</code></pre> }.into_any()
        }
        Kind::List(None) => view! { <ul>{children}</ul> }.into_any(),
        Kind::List(Some(start)) => view! { <ol start=start.to_string()>{children}</ol> }.into_any(),
        Kind::Item => view! { <li>{children}</li> }.into_any(),
        Kind::Emphasis => view! { <em>{children}</em> }.into_any(),
        Kind::Strong => view! { <strong>{children}</strong> }.into_any(),
        Kind::Strikethrough => view! { <del>{children}</del> }.into_any(),
        Kind::Link(href) => view! {
            <a href=href target="_blank" rel="noopener noreferrer">{children}</a>
        }
        .into_any(),
        Kind::Plain => children,
    }
}

/// Renders `text` as Markdown, again whenever it changes (a streamed reply).
#[component]
pub fn Markdown(#[prop(into)] text: Signal<String>) -> impl IntoView {
    view! { <div class="markdown">{move || text.with(|text| render(parse(text)))}</div> }
}

/// Renders `text` as Markdown once: a finished turn, which never changes (no signal, no effect).
#[component]
pub fn StaticMarkdown(text: String) -> impl IntoView {
    view! { <div class="markdown">{render(parse(&text))}</div> }
}

#[cfg(test)]
mod tests {
    use super::{parse, safe_href, Kind, Node};

    fn text(s: &str) -> Node {
        Node::Text(s.to_owned())
    }

    #[test]
    fn raw_html_stays_text() {
        let nodes = parse("Echo: <img src=x onerror=alert(1)>");
        let Node::Element(Kind::Paragraph, children) = &nodes[0] else {
            panic!("{nodes:?}")
        };
        let joined: String = children
            .iter()
            .map(|n| {
                if let Node::Text(t) = n {
                    t.as_str()
                } else {
                    ""
                }
            })
            .collect();
        assert_eq!(joined, "Echo: <img src=x onerror=alert(1)>");
        let block = parse("<script>alert(1)</script>");
        assert_eq!(
            block,
            vec![Node::Element(
                Kind::Paragraph,
                vec![text("<script>alert(1)</script>")]
            )]
        );
    }

    #[test]
    fn only_web_and_mail_links() {
        assert_eq!(
            safe_href(" https://example.com/a "),
            Some("https://example.com/a".to_owned())
        );
        assert_eq!(safe_href("MAILTO:a@b.c"), Some("MAILTO:a@b.c".to_owned()));
        assert_eq!(safe_href("javascript:alert(1)"), None);
        assert_eq!(safe_href("data:text/html,x"), None);
        let nodes = parse("[x](javascript:alert(1))");
        assert_eq!(
            nodes,
            vec![Node::Element(
                Kind::Paragraph,
                vec![Node::Element(Kind::Plain, vec![text("x")])]
            )]
        );
    }

    #[test]
    fn structure() {
        let nodes = parse("# T\n\n- **a** `b`\n\n```rust\nfn x() {}\n```");
        assert_eq!(nodes[0], Node::Element(Kind::Heading(1), vec![text("T")]));
        assert_eq!(
            nodes[1],
            Node::Element(
                Kind::List(None),
                vec![Node::Element(
                    Kind::Item,
                    vec![
                        Node::Element(Kind::Strong, vec![text("a")]),
                        text(" "),
                        Node::Code("b".to_owned())
                    ]
                )]
            )
        );
        assert_eq!(
            nodes[2],
            Node::Element(
                Kind::CodeBlock(Some("language-rust".to_owned())),
                vec![text("fn x() {}\n")]
            )
        );
    }
}
