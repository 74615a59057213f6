//! iCalendar files (RFC 5545) of events, so a family adds an event — or a
//! whole filtered calendar, as a subscription — to the phone's calendar.

use chrono::NaiveDateTime;
use navigator_shared::events::EventStatus;

use super::repo::Listed;
use crate::Links;
use crate::clock::REGION_OFFSET;

/// A calendar named `name` with `events`, stamped `now` (UTC).
pub fn calendar(name: &str, events: &[Listed], links: &Links, now: NaiveDateTime) -> String {
    let mut lines = vec![
        "BEGIN:VCALENDAR".to_owned(),
        "VERSION:2.0".to_owned(),
        "PRODID:-//Navigator//Events//RU".to_owned(),
        "CALSCALE:GREGORIAN".to_owned(),
        "METHOD:PUBLISH".to_owned(),
        format!("X-WR-CALNAME:{}", escape(name)),
        "X-WR-TIMEZONE:Europe/Moscow".to_owned(),
    ];
    for (event, organization) in events {
        let url = links.page(&format!("/events/{}", event.id));
        let place = if event.online { "Онлайн".to_owned() } else { event.address.clone() };
        lines.push("BEGIN:VEVENT".to_owned());
        lines.push(format!("UID:event-{}@navigator", event.id));
        lines.push(format!("DTSTAMP:{}", utc(now)));
        lines.push(format!("DTSTART:{}", utc(event.starts_at - REGION_OFFSET)));
        lines.push(format!("DTEND:{}", utc(event.ends_at - REGION_OFFSET)));
        lines.push(format!("SUMMARY:{}", escape(&event.title)));
        lines.push(format!("DESCRIPTION:{}", escape(&format!("{}\n\n{organization}\n{url}", event.description))));
        lines.push(format!("LOCATION:{}", escape(&place)));
        if let (Some(lat), Some(lon)) = (event.lat, event.lon) {
            lines.push(format!("GEO:{lat:.6};{lon:.6}"));
        }
        lines.push(format!("URL:{url}"));
        lines.push(format!("ORGANIZER;CN={}:{url}", param(organization)));
        let status = if event.status == EventStatus::Cancelled { "CANCELLED" } else { "CONFIRMED" };
        lines.push(format!("STATUS:{status}"));
        lines.push("END:VEVENT".to_owned());
    }
    lines.push("END:VCALENDAR".to_owned());
    lines.iter().map(|line| fold(line)).collect::<String>()
}

fn utc(moment: NaiveDateTime) -> String {
    moment.format("%Y%m%dT%H%M%SZ").to_string()
}

/// A TEXT value: backslash, semicolon, comma and line breaks escaped.
fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            ';' => out.push_str("\\;"),
            ',' => out.push_str("\\,"),
            '\n' => out.push_str("\\n"),
            '\r' => {}
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out
}

/// A parameter value: quoted, without the characters a quoted value may not hold.
fn param(text: &str) -> String {
    let clean: String = text.chars().filter(|c| *c != '"' && !c.is_control()).collect();
    format!("\"{clean}\"")
}

/// A content line folded at 75 octets (never inside a character), ended by CRLF.
fn fold(line: &str) -> String {
    let mut out = String::with_capacity(line.len() + 8);
    let mut width = 0;
    for c in line.chars() {
        if width + c.len_utf8() > 75 {
            out.push_str("\r\n ");
            width = 1;
        }
        out.push(c);
        width += c.len_utf8();
    }
    out.push_str("\r\n");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_fold_at_75_octets_between_characters() {
        let folded = fold(&format!("SUMMARY:{}", "День открытых дверей ".repeat(6)));
        for line in folded.split("\r\n").filter(|l| !l.is_empty()) {
            assert!(line.len() <= 75, "{} octets: {line}", line.len());
        }
        let unfolded = folded.replace("\r\n ", "");
        assert_eq!(
            unfolded.strip_suffix("\r\n"),
            Some(format!("SUMMARY:{}", "День открытых дверей ".repeat(6)).as_str())
        );
    }

    #[test]
    fn text_is_escaped() {
        assert_eq!(escape("Сбор: 10:00; вход, выход\nи всё\\"), "Сбор: 10:00\\; вход\\, выход\\nи всё\\\\");
        assert_eq!(param("ДДТ \"Радуга\""), "\"ДДТ Радуга\"");
    }
}
