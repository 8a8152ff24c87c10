//! How result objects render in a notebook (decision 0083): a two-column HTML table of what
//! was established, every value escaped; never a secret (result objects hold none).

/// Escapes text for HTML element content and attribute values.
pub(crate) fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// A titled table of `(label, value)` rows.
pub(crate) fn table(title: &str, rows: &[(String, String)]) -> String {
    let mut out = String::from("<table class=\"causeway\">");
    out.push_str("<caption style=\"text-align:left\"><b>");
    out.push_str(&escape(title));
    out.push_str("</b></caption><tbody>");
    for (k, v) in rows {
        out.push_str("<tr><th style=\"text-align:left\">");
        out.push_str(&escape(k));
        out.push_str("</th><td style=\"text-align:left\"><code>");
        out.push_str(&escape(v));
        out.push_str("</code></td></tr>");
    }
    out.push_str("</tbody></table>");
    out
}
