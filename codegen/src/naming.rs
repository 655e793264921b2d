//! Turning wire names into Rust names.

/// Rust's strict and reserved keywords: such a name needs `r#`.
const KEYWORDS: &[&str] = &[
    "as", "break", "const", "continue", "crate", "else", "enum", "extern", "false", "fn", "for",
    "if", "impl", "in", "let", "loop", "match", "mod", "move", "mut", "pub", "ref", "return",
    "self", "Self", "static", "struct", "super", "trait", "true", "type", "unsafe", "use", "where",
    "while", "async", "await", "dyn", "abstract", "become", "box", "do", "final", "macro",
    "override", "priv", "typeof", "unsized", "virtual", "yield", "try", "gen",
];

/// The words of a name, split at `_`, `-`, `.`, spaces and lower-to-upper case changes.
pub fn words(name: &str) -> Vec<String> {
    let mut words = Vec::new();
    let mut current = String::new();
    let mut previous_lower = false;
    for c in name.chars() {
        if !c.is_ascii_alphanumeric() {
            if !current.is_empty() {
                words.push(std::mem::take(&mut current));
            }
            previous_lower = false;
            continue;
        }
        if c.is_ascii_uppercase() && previous_lower && !current.is_empty() {
            words.push(std::mem::take(&mut current));
        }
        previous_lower = c.is_ascii_lowercase() || c.is_ascii_digit();
        current.push(c.to_ascii_lowercase());
    }
    if !current.is_empty() {
        words.push(current);
    }
    words
}

/// `PascalCase`; a leading digit gets a `V` so the result is an identifier (`"480"` → `V480`).
pub fn pascal(name: &str) -> String {
    let joined: String = words(name)
        .iter()
        .map(|w| {
            let mut chars = w.chars();
            match chars.next() {
                Some(first) => first.to_ascii_uppercase().to_string() + chars.as_str(),
                None => String::new(),
            }
        })
        .collect();
    if joined.starts_with(|c: char| c.is_ascii_digit()) {
        format!("V{joined}")
    } else {
        joined
    }
}

/// `snake_case`, without keyword escaping.
pub fn snake(name: &str) -> String {
    let joined = words(name).join("_");
    if joined.starts_with(|c: char| c.is_ascii_digit()) {
        format!("n{joined}")
    } else {
        joined
    }
}

/// A field or argument identifier: `snake_case`, `r#` before keywords.
pub fn ident(name: &str) -> String {
    let snake = snake(name);
    if KEYWORDS.contains(&snake.as_str()) {
        format!("r#{snake}")
    } else {
        snake
    }
}

/// What serde calls a field named by [`ident`]: the identifier without `r#`.
pub fn unraw(ident: &str) -> &str {
    ident.strip_prefix("r#").unwrap_or(ident)
}

/// A method name from an operation id: the id's words less those naming the handle's resource
/// (`list_movies` on `movies` → `list`, `download_files` on `downloads` → `files`), or the whole id
/// when nothing would be left.
pub fn method_name(operation_id: &str, tag: &str) -> String {
    let id = words(operation_id);
    let tag_words = words(tag);
    let singular: Vec<String> = tag_words
        .iter()
        .enumerate()
        .map(|(i, w)| {
            if i + 1 == tag_words.len() {
                w.strip_suffix('s').unwrap_or(w).to_owned()
            } else {
                w.clone()
            }
        })
        .collect();
    for noun in [&tag_words, &singular] {
        if noun.is_empty() || noun.len() >= id.len() {
            continue;
        }
        if let Some(at) = id.windows(noun.len()).position(|w| w == noun.as_slice()) {
            let mut rest = id.clone();
            rest.drain(at..at + noun.len());
            let name = rest.join("_");
            return ident(&name);
        }
    }
    ident(operation_id)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cases() {
        assert_eq!(pascal("qr-bootstrap"), "QrBootstrap");
        assert_eq!(pascal("PaginatedResponse_Movie"), "PaginatedResponseMovie");
        assert_eq!(pascal("dts_hd"), "DtsHd");
        assert_eq!(pascal("480"), "V480");
        assert_eq!(pascal("HTTPServer"), "Httpserver");
        assert_eq!(snake("movieId"), "movie_id");
        assert_eq!(ident("type"), "r#type");
        assert_eq!(unraw("r#type"), "type");
    }

    #[test]
    fn method_names_drop_the_resource() {
        assert_eq!(method_name("list_movies", "movies"), "list");
        assert_eq!(method_name("get_movie", "movies"), "get");
        assert_eq!(method_name("mark_movie_watched", "movies"), "mark_watched");
        assert_eq!(method_name("download_files", "downloads"), "files");
        assert_eq!(
            method_name("list_quality_profiles", "quality_profiles"),
            "list"
        );
        assert_eq!(
            method_name("set_default_quality_profile", "quality_profiles"),
            "set_default"
        );
        assert_eq!(method_name("list_items", "lists"), "items");
        assert_eq!(method_name("speed_test", "downloads"), "speed_test");
        assert_eq!(method_name("history", "history"), "history");
        assert_eq!(method_name("import", "integrations"), "import");
    }
}
