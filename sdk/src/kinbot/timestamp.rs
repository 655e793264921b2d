//! KinBot's timestamps: ISO-8601 strings where the server passes database rows through, epoch
//! milliseconds where it builds summaries by hand, and both within one SSE event type (facts §3.4).

use std::cmp::Ordering;
use std::fmt;

use serde::de::{self, Visitor};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// An instant as KinBot sends it, either form; read it as milliseconds since the Unix epoch (UTC)
/// with [`Timestamp::millis`]. It encodes back in the form it arrived in, and two timestamps compare
/// by instant whatever their forms.
#[derive(Debug, Clone, Copy)]
pub struct Timestamp {
    millis: i64,
    form: Form,
}

/// Which of the two forms a timestamp arrived in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Form {
    /// `"2026-03-01T12:00:00.000Z"`.
    Iso,
    /// `1772366400000`.
    EpochMillis,
}

impl Timestamp {
    /// The instant, from milliseconds since the epoch; it encodes as a number.
    pub fn from_millis(millis: i64) -> Timestamp {
        Timestamp {
            millis,
            form: Form::EpochMillis,
        }
    }

    /// Milliseconds since 1970-01-01T00:00:00Z.
    pub fn millis(&self) -> i64 {
        self.millis
    }

    /// The form it arrived in.
    pub fn form(&self) -> Form {
        self.form
    }

    /// `YYYY-MM-DDTHH:MM:SS.mmmZ`, the form KinBot writes ISO timestamps in.
    pub fn to_iso(&self) -> String {
        let (days, ms_of_day) = (
            self.millis.div_euclid(86_400_000),
            self.millis.rem_euclid(86_400_000),
        );
        let (year, month, day) = civil_from_days(days);
        let (h, m, s, ms) = (
            ms_of_day / 3_600_000,
            ms_of_day / 60_000 % 60,
            ms_of_day / 1000 % 60,
            ms_of_day % 1000,
        );
        format!("{year:04}-{month:02}-{day:02}T{h:02}:{m:02}:{s:02}.{ms:03}Z")
    }

    /// Parses an ISO-8601 date-time (`T` or a space between date and time; seconds, an optional
    /// fraction and `Z` or `±HH:MM`; no zone is read as UTC, as KinBot's database writes).
    pub fn parse_iso(text: &str) -> Option<Timestamp> {
        let bytes = text.as_bytes();
        let digits = |range: std::ops::Range<usize>| -> Option<i64> {
            let part = text.get(range)?;
            part.bytes()
                .all(|b| b.is_ascii_digit())
                .then(|| part.parse().ok())?
        };
        if bytes.len() < 19
            || bytes[4] != b'-'
            || bytes[7] != b'-'
            || !matches!(bytes[10], b'T' | b't' | b' ')
            || bytes[13] != b':'
            || bytes[16] != b':'
        {
            return None;
        }
        let (year, month, day) = (digits(0..4)?, digits(5..7)?, digits(8..10)?);
        let (hour, minute, second) = (digits(11..13)?, digits(14..16)?, digits(17..19)?);
        if !(1..=12).contains(&month)
            || day < 1
            || day > days_in_month(year, month)
            || hour > 23
            || minute > 59
            || second > 60
        {
            return None;
        }
        let mut rest = &text[19..];
        let mut millis_part = 0;
        if let Some(fraction) = rest.strip_prefix('.') {
            let end = fraction
                .find(|c: char| !c.is_ascii_digit())
                .unwrap_or(fraction.len());
            if end == 0 {
                return None;
            }
            let mut padded: String = fraction[..end].chars().take(3).collect();
            while padded.len() < 3 {
                padded.push('0');
            }
            millis_part = padded.parse::<i64>().ok()?;
            rest = &fraction[end..];
        }
        let offset_minutes = match rest {
            "" | "Z" | "z" => 0,
            _ => {
                let sign = match rest.as_bytes()[0] {
                    b'+' => 1,
                    b'-' => -1,
                    _ => return None,
                };
                let zone = &rest[1..];
                let (h, m) = match zone.len() {
                    5 if zone.as_bytes()[2] == b':' => (zone.get(0..2)?, zone.get(3..5)?),
                    4 => (zone.get(0..2)?, zone.get(2..4)?),
                    2 => (zone, "00"),
                    _ => return None,
                };
                let (h, m): (i64, i64) = (h.parse().ok()?, m.parse().ok()?);
                if h > 23 || m > 59 {
                    return None;
                }
                sign * (h * 60 + m)
            }
        };
        let days = days_from_civil(year, month, day);
        let seconds = days * 86_400 + hour * 3600 + minute * 60 + second - offset_minutes * 60;
        Some(Timestamp {
            millis: seconds * 1000 + millis_part,
            form: Form::Iso,
        })
    }
}

impl PartialEq for Timestamp {
    fn eq(&self, other: &Self) -> bool {
        self.millis == other.millis
    }
}

impl Eq for Timestamp {}

impl PartialOrd for Timestamp {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Timestamp {
    fn cmp(&self, other: &Self) -> Ordering {
        self.millis.cmp(&other.millis)
    }
}

impl std::hash::Hash for Timestamp {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        self.millis.hash(state);
    }
}

impl fmt::Display for Timestamp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.to_iso())
    }
}

impl Serialize for Timestamp {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self.form {
            Form::Iso => serializer.serialize_str(&self.to_iso()),
            Form::EpochMillis => serializer.serialize_i64(self.millis),
        }
    }
}

impl<'de> Deserialize<'de> for Timestamp {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Either;
        impl Visitor<'_> for Either {
            type Value = Timestamp;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("an ISO-8601 date-time string or epoch milliseconds")
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<Timestamp, E> {
                Ok(Timestamp::from_millis(v))
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<Timestamp, E> {
                i64::try_from(v)
                    .map(Timestamp::from_millis)
                    .map_err(|_| E::custom("a timestamp past the year 292 million"))
            }
            fn visit_f64<E: de::Error>(self, v: f64) -> Result<Timestamp, E> {
                // `Date.now()` values are integers, but a JSON encoder may still write `1.7e12`.
                if v.is_finite() && v.fract() == 0.0 && v.abs() < 9.0e15 {
                    Ok(Timestamp::from_millis(v as i64))
                } else {
                    Err(E::custom(format!(
                        "{v} is not a whole number of milliseconds"
                    )))
                }
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Timestamp, E> {
                Timestamp::parse_iso(v)
                    .ok_or_else(|| E::custom(format!("{v:?} is not an ISO-8601 date-time")))
            }
        }
        deserializer.deserialize_any(Either)
    }
}

fn is_leap(year: i64) -> bool {
    year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)
}

fn days_in_month(year: i64, month: i64) -> i64 {
    match month {
        2 if is_leap(year) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's algorithm).
fn days_from_civil(year: i64, month: i64, day: i64) -> i64 {
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (month + 9) % 12;
    let doy = (153 * mp + 2) / 5 + day - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// The inverse of [`days_from_civil`].
fn civil_from_days(days: i64) -> (i64, i64, i64) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    (year, month, day)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn both_forms_decode_to_one_instant() {
        let iso: Timestamp = serde_json::from_str(r#""2026-03-01T12:00:00.250Z""#).unwrap();
        let ms: Timestamp = serde_json::from_str("1772366400250").unwrap();
        assert_eq!(iso.millis(), 1_772_366_400_250);
        assert_eq!(iso, ms, "the same instant in either form");
        assert_eq!((iso.form(), ms.form()), (Form::Iso, Form::EpochMillis));
        assert_eq!(
            serde_json::to_string(&iso).unwrap(),
            r#""2026-03-01T12:00:00.250Z""#
        );
        assert_eq!(serde_json::to_string(&ms).unwrap(), "1772366400250");
    }

    #[test]
    fn offsets_fractions_and_separators() {
        let at = |s: &str| Timestamp::parse_iso(s).map(|t| t.millis());
        assert_eq!(at("1970-01-01T00:00:00Z"), Some(0));
        assert_eq!(
            at("1970-01-01 00:00:01"),
            Some(1000),
            "SQLite's form, read as UTC"
        );
        assert_eq!(at("1970-01-01T01:00:00+01:00"), Some(0));
        assert_eq!(at("1969-12-31T23:00:00-0100"), Some(0));
        assert_eq!(at("2000-02-29T00:00:00.1Z"), Some(951_782_400_100));
        assert_eq!(at("2000-02-29T00:00:00.123456Z"), Some(951_782_400_123));
        for bad in [
            "2001-02-29T00:00:00Z",
            "2026-13-01T00:00:00Z",
            "2026-03-01",
            "yesterday",
            "2026-03-01T12:00:00.Z",
            "2026-03-01T12:00:00+25:00",
        ] {
            assert_eq!(at(bad), None, "{bad}");
        }
    }

    #[test]
    fn iso_round_trips_through_millis() {
        for millis in [
            0,
            1,
            -1,
            951_782_400_123,
            1_772_366_400_250,
            -62_135_596_800_000,
        ] {
            let t = Timestamp::from_millis(millis);
            assert_eq!(
                Timestamp::parse_iso(&t.to_iso()).unwrap().millis(),
                millis,
                "{}",
                t.to_iso()
            );
        }
    }
}
