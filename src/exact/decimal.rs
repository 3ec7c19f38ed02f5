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
    if tail.is_empty() {
        format!("{sign}{head}e{exponent}")
    } else {
        format!("{sign}{head}.{tail}e{exponent}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn truncates_exactly() {
        assert_eq!(scientific(&Rational::from((209, 625)), 6), "3.34400e-1");
        assert_eq!(scientific(&Rational::from((2, 3)), 4), "6.666e-1");
        assert_eq!(scientific(&Rational::from((-1, 3)), 3), "-3.33e-1");
        assert_eq!(scientific(&Rational::from(1000), 2), "1.0e3");
        assert_eq!(scientific(&Rational::from((1, 1000)), 1), "1e-3");
        assert_eq!(scientific(&Rational::new(), 5), "0");
        // 1 - 10^-30 must not print as 1.
        let near_one =
            Rational::from(1) - Rational::from((1, Integer::from(Integer::u_pow_u(10, 30))));
        assert_eq!(scientific(&near_one, 5), "9.9999e-1");
    }
}
