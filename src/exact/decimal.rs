//! Exact decimal rendering of rationals: digits are truncated, never rounded through a float.

use rug::{Integer, Rational};

/// Renders `value` as `d.ddd…e±E` with `digits` significant digits, truncated toward zero.
/// The result is a display aid; exact values are always available as `a/b`.
pub fn scientific(value: &Rational, digits: u32) -> String {
    let digits = digits.max(1);
    if value.cmp0().is_eq() {
        return "0".to_string();
    }
    let sign = if value.cmp0().is_lt() { "-" } else { "" };
    let num = Integer::from(value.numer().abs_ref());
    let den = value.denom();
    // Estimate the decimal exponent from bit lengths, then correct it exactly.
    let estimate = ((num.significant_bits() as f64 - den.significant_bits() as f64)
        * std::f64::consts::LOG10_2)
        .floor() as i64;
    let mut exponent = estimate;
    let scaled = |e: i64| -> Integer {
        // floor(|value| * 10^(digits-1-e))
        let shift = digits as i64 - 1 - e;
        let ten = Integer::from(Integer::u_pow_u(10, shift.unsigned_abs() as u32));
        if shift >= 0 {
            Integer::from(&num * &ten) / den
        } else {
            num.clone() / Integer::from(den * &ten)
        }
    };
    let lower = Integer::from(Integer::u_pow_u(10, digits - 1));
    let upper = Integer::from(&lower * 10);
    let mut mantissa = scaled(exponent);
    while mantissa >= upper {
        exponent += 1;
        mantissa = scaled(exponent);
    }
    while mantissa < lower {
        exponent -= 1;
        mantissa = scaled(exponent);
    }
    let text = mantissa.to_string();
    let (head, tail) = text.split_at(1);
    let raw = if tail.is_empty() {
        format!("{sign}{head}e{exponent}")
    } else {
        format!("{sign}{head}.{tail}e{exponent}")
    };
    positional(&raw)
}

/// A rational for an error message or a table: in full when short (`209/625`), else its
/// leading digits and its size, so a huge entry never becomes a huge line.
pub fn brief(value: &Rational) -> String {
    let bits = value.numer().significant_bits() + value.denom().significant_bits();
    if bits <= 160 {
        return value.to_string();
    }
    format!(
        "{} (truncated; a fraction of {} + {} bits)",
        scientific(value, 12),
        value.numer().significant_bits(),
        value.denom().significant_bits()
    )
}

/// Rewrites `d.ddde±E` as a researcher writes it: positional for `-4 <= E <= 5`
/// (`3.344e-1` -> `0.3344`, `1.25e2` -> `125`, keeping every digit given), `d.ddde-7` beyond.
/// Only the notation changes, never a digit, so truncated or outward-rounded renderings keep
/// their direction.
pub fn positional(text: &str) -> String {
    let Some((mantissa, exponent)) = text.split_once(['e', 'E']) else {
        return text.to_string();
    };
    let Ok(exponent) = exponent.parse::<i64>() else {
        return text.to_string();
    };
    let (sign, body) = match mantissa.strip_prefix('-') {
        Some(rest) => ("-", rest),
        None => ("", mantissa.strip_prefix('+').unwrap_or(mantissa)),
    };
    let (int_part, frac_part) = body.split_once('.').unwrap_or((body, ""));
    if int_part.len() != 1 || !(-4..=5).contains(&exponent) {
        return if exponent == 0 {
            mantissa.to_string()
        } else {
            text.to_string()
        };
    }
    let digits = format!("{int_part}{frac_part}");
    // The decimal point goes after position 1 + exponent of `digits`.
    let point = 1 + exponent;
    let out = if point <= 0 {
        format!("0.{}{digits}", "0".repeat((-point) as usize))
    } else if point as usize >= digits.len() {
        format!("{digits}{}", "0".repeat(point as usize - digits.len()))
    } else {
        let (a, b) = digits.split_at(point as usize);
        format!("{a}.{b}")
    };
    format!("{sign}{out}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn truncates_exactly() {
        assert_eq!(scientific(&Rational::from((209, 625)), 6), "0.334400");
        assert_eq!(scientific(&Rational::from((2, 3)), 4), "0.6666");
        assert_eq!(scientific(&Rational::from((-1, 3)), 3), "-0.333");
        assert_eq!(scientific(&Rational::from(1000), 2), "1000");
        assert_eq!(scientific(&Rational::from((1, 1000)), 1), "0.001");
        assert_eq!(scientific(&Rational::from((1, 10_000_000)), 2), "1.0e-7");
        assert_eq!(scientific(&Rational::new(), 5), "0");
        // 1 - 10^-30 must not print as 1.
        let near_one =
            Rational::from(1) - Rational::from((1, Integer::from(Integer::u_pow_u(10, 30))));
        assert_eq!(scientific(&near_one, 5), "0.99999");
    }

    #[test]
    fn positional_moves_the_point_and_keeps_every_digit() {
        assert_eq!(positional("1.78261209434e-1"), "0.178261209434");
        assert_eq!(positional("1.002827e0"), "1.002827");
        assert_eq!(positional("-2.5e2"), "-250");
        assert_eq!(positional("1.2e3"), "1200");
        assert_eq!(positional("3.13465160219e-38"), "3.13465160219e-38");
        assert_eq!(positional("9.99e-4"), "0.000999");
        assert_eq!(positional("9.99e-5"), "9.99e-5");
        assert_eq!(positional("12.0000000000"), "12.0000000000");
    }
}
