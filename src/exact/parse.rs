//! Parsing exact rationals from text: `1/5`, `0.2` (exactly 1/5), `3`, `-2.5e-3`.
//!
//! A decimal literal means the decimal number it spells, never the binary float nearest to it.

use rug::{Integer, Rational};

/// Why a string is not an exact rational.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParseRationalError {
    /// The text that did not parse.
    pub text: String,
    /// Why.
    pub reason: &'static str,
}

impl std::fmt::Display for ParseRationalError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // A 2 MB entry must not become a 2 MB error line.
        let shown = crate::error::elide(&self.text, 60, 40);
        write!(
            f,
            "'{shown}' is not an exact number ({}); write e.g. 1/5, 0.2 or 3",
            self.reason
        )
    }
}

impl std::error::Error for ParseRationalError {}

/// Parses `a/b`, a decimal with optional exponent, or an integer into an exact rational.
pub fn parse_rational(text: &str) -> Result<Rational, ParseRationalError> {
    let err = |reason| ParseRationalError {
        text: text.to_string(),
        reason,
    };
    let trimmed = text.trim();
    if trimmed.is_empty() {
        return Err(err("empty"));
    }
    match trimmed.split_once('/') {
        Some((num, den)) => {
            let num = parse_decimal(num.trim()).ok_or_else(|| err("bad numerator"))?;
            let den = parse_decimal(den.trim()).ok_or_else(|| err("bad denominator"))?;
            if den == 0 {
                return Err(err("zero denominator"));
            }
            Ok(num / den)
        }
        None => parse_decimal(trimmed).ok_or_else(|| err("not a fraction, decimal or integer")),
    }
}

/// Parses `[+-]digits[.digits][e[+-]digits]` exactly.
fn parse_decimal(text: &str) -> Option<Rational> {
    let (negative, body) = match text.as_bytes().first()? {
        b'-' => (true, &text[1..]),
        b'+' => (false, &text[1..]),
        _ => (false, text),
    };
    let (mantissa, exponent) = match body.find(['e', 'E']) {
        Some(at) => (&body[..at], body[at + 1..].parse::<i32>().ok()?),
        None => (body, 0),
    };
    let (int_part, frac_part) = mantissa.split_once('.').unwrap_or((mantissa, ""));
    let all_digits = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
    if (int_part.is_empty() && frac_part.is_empty())
        || !all_digits(int_part)
        || !all_digits(frac_part)
    {
        return None;
    }
    // Bound the exponent so that "1e999999999" cannot exhaust memory.
    if exponent.unsigned_abs() > 10_000 || frac_part.len() > 10_000 {
        return None;
    }
    let digits: Integer = format!("{int_part}{frac_part}0").parse::<Integer>().ok()? / 10;
    let scale = exponent - frac_part.len() as i32;
    let ten_pow = Integer::from(Integer::u_pow_u(10, scale.unsigned_abs()));
    let mut value = if scale >= 0 {
        Rational::from(digits * ten_pow)
    } else {
        Rational::from((digits, ten_pow))
    };
    if negative {
        value = -value;
    }
    Some(value)
}

/// Parses a comma-separated list of exact rationals, naming the failing entry (1-based).
pub fn parse_rational_list(what: &str, text: &str) -> Result<Vec<Rational>, String> {
    text.split(',')
        .enumerate()
        .map(|(i, item)| parse_rational(item).map_err(|e| format!("{what}: entry {}: {e}", i + 1)))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn q(n: i64, d: i64) -> Rational {
        Rational::from((n, d))
    }

    #[test]
    fn parses_fractions_decimals_integers_exactly() {
        assert_eq!(parse_rational("1/5").unwrap(), q(1, 5));
        assert_eq!(parse_rational("0.2").unwrap(), q(1, 5));
        assert_eq!(parse_rational(".5").unwrap(), q(1, 2));
        assert_eq!(parse_rational("3").unwrap(), q(3, 1));
        assert_eq!(parse_rational("-2.5e-3").unwrap(), q(-1, 400));
        assert_eq!(parse_rational("1e2").unwrap(), q(100, 1));
        assert_eq!(parse_rational(" 6/4 ").unwrap(), q(3, 2));
        assert_eq!(parse_rational("0.1/0.3").unwrap(), q(1, 3));
    }

    #[test]
    fn rejects_garbage() {
        for bad in [
            "",
            "abc",
            "1/0",
            "1.2.3",
            "1/",
            "/2",
            "--1",
            "1e",
            "0x10",
            "1e99999999",
        ] {
            assert!(parse_rational(bad).is_err(), "{bad} should be rejected");
        }
    }

    #[test]
    fn list_errors_name_the_entry() {
        let err = parse_rational_list("p", "1/2,x,1/2").unwrap_err();
        assert!(err.contains("entry 2"), "{err}");
    }
}
