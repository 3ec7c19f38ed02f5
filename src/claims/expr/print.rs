//! The one printer of the claim language: a syntax tree back to text, with exactly the
//! parentheses the grammar needs (read from [`BinOp::levels`] and [`level`], the parser's own
//! binding levels). `parse(render(e)) == e` for every tree (a property test in
//! tests/suite/claim_language.rs); reports, replay commands and evidence labels all use it.

use rug::{Integer, Rational};

use super::parse::{level, BinOp, Node, NodeKind, INDEX_FUNCTION};

/// The expression as text: operators spaced (`a + b`, `a <= b`; `a^b` unspaced), calls as
/// `f(a, b)`, parentheses only where the grammar needs them.
pub fn render(node: &Node) -> String {
    let mut out = String::new();
    write(node, level::IMPLIES, &mut out);
    out
}

/// The binding level of a node: an operand whose level is below what its place needs is
/// parenthesised.
fn own_level(node: &Node) -> u8 {
    match &node.kind {
        NodeKind::Number(x) if x.cmp0().is_lt() || decimal(x).is_none() => level::PRODUCT,
        NodeKind::Number(_) | NodeKind::Name(_) | NodeKind::Apply(..) => level::ATOM,
        NodeKind::Neg(_) => level::UNARY,
        NodeKind::Not(_) => level::NOT,
        NodeKind::Binary(op, _, _) => op.levels().0,
    }
}

fn write(node: &Node, least: u8, out: &mut String) {
    if own_level(node) < least {
        out.push('(');
        write(node, level::IMPLIES, out);
        out.push(')');
        return;
    }
    match &node.kind {
        NodeKind::Number(x) => match decimal(x) {
            Some(text) if x.cmp0().is_ge() => out.push_str(&text),
            // Not a literal the lexer reads (a fraction such as 1/3, or a negative number):
            // written as the division (or negation) that denotes it.
            _ => {
                if x.cmp0().is_lt() {
                    out.push('-');
                }
                let magnitude = Rational::from(x.abs_ref());
                match decimal(&magnitude) {
                    Some(text) => out.push_str(&text),
                    None => {
                        out.push_str(&magnitude.numer().to_string());
                        out.push_str(" / ");
                        out.push_str(&magnitude.denom().to_string());
                    }
                }
            }
        },
        NodeKind::Name(n) => out.push_str(n),
        NodeKind::Apply(callee, args)
            if args.len() == 2
                && matches!(&callee.kind, NodeKind::Name(n) if n == INDEX_FUNCTION) =>
        {
            write(&args[0], level::ATOM, out);
            out.push('[');
            write(&args[1], level::IMPLIES, out);
            out.push(']');
        }
        NodeKind::Apply(callee, args) => {
            write(callee, level::ATOM, out);
            out.push('(');
            for (i, a) in args.iter().enumerate() {
                if i > 0 {
                    out.push_str(", ");
                }
                write(a, level::IMPLIES, out);
            }
            out.push(')');
        }
        NodeKind::Neg(a) => {
            out.push('-');
            write(a, level::UNARY, out);
        }
        NodeKind::Not(a) => {
            out.push_str("not ");
            write(a, level::NOT, out);
        }
        NodeKind::Binary(op, a, b) => {
            let (_, left, right) = op.levels();
            write(a, left, out);
            if *op == BinOp::Arith(super::parse::ArithOp::Pow) {
                out.push('^');
            } else {
                out.push(' ');
                out.push_str(op.symbol());
                out.push(' ');
            }
            write(b, right, out);
        }
    }
}

/// `x` as an exact terminating decimal (`3`, `0.25`), if its denominator is `2^a 5^b`.
fn decimal(x: &Rational) -> Option<String> {
    let mut d = x.denom().clone();
    let (mut twos, mut fives) = (0u32, 0u32);
    while d.is_divisible_u(2) {
        d /= 2;
        twos += 1;
    }
    while d.is_divisible_u(5) {
        d /= 5;
        fives += 1;
    }
    if d != 1 {
        return None;
    }
    let places = twos.max(fives);
    if places == 0 {
        return Some(x.numer().to_string());
    }
    let scaled = (x.numer() * Integer::from(Integer::u_pow_u(10, places))) / x.denom();
    let digits = scaled.abs().to_string();
    let digits = format!("{digits:0>width$}", width = places as usize + 1);
    let (int, frac) = digits.split_at(digits.len() - places as usize);
    Some(format!(
        "{}{int}.{frac}",
        if x.cmp0().is_lt() { "-" } else { "" }
    ))
}

#[cfg(test)]
mod tests {
    use super::super::parse::parse;
    use super::*;

    #[test]
    fn parentheses_exactly_where_the_grammar_needs_them() {
        for (text, shown) in [
            ("-(N - 1) == 1 - N", "-(N - 1) == 1 - N"),
            ("(2^3)^2 == 64", "(2^3)^2 == 64"),
            ("2^3^2", "2^3^2"),
            ("(-N)^2", "(-N)^2"),
            ("-N^2", "-N^2"),
            ("2^-(N-1)", "2^-(N - 1)"),
            ("N / 0.5", "N / 0.5"),
            ("2^0.5", "2^0.5"),
            ("not (a and b)", "not (a and b)"),
            ("(not a) and b", "not a and b"),
            ("-(1 + sqrt(2))", "-(1 + sqrt(2))"),
            ("a - (b - c)", "a - (b - c)"),
            ("(a - b) - c", "a - b - c"),
            ("a / (b * c)", "a / (b * c)"),
            ("(a implies b) implies c", "(a implies b) implies c"),
            ("a implies (b implies c)", "a implies b implies c"),
            ("(a or b) and c", "(a or b) and c"),
            ("bon(N+1)(y)", "bon(N + 1)(y)"),
            ("(x < y) + 1", "(x < y) + 1"),
            ("0.000125 * 3", "0.000125 * 3"),
        ] {
            let tree = parse(text).unwrap();
            assert_eq!(render(&tree), shown, "{text}");
            assert_eq!(parse(&render(&tree)).unwrap(), tree, "{text}");
        }
    }

    #[test]
    fn numbers_that_are_not_literals_print_as_what_denotes_them() {
        let third = Node::new(0, NodeKind::Number(Rational::from((1, 3))));
        let square = Node::new(
            0,
            NodeKind::Binary(
                BinOp::Arith(super::super::parse::ArithOp::Pow),
                Box::new(third),
                Box::new(Node::new(0, NodeKind::Number(Rational::from(2)))),
            ),
        );
        assert_eq!(render(&square), "(1 / 3)^2");
        assert_eq!(
            render(&Node::new(0, NodeKind::Number(Rational::from((-3, 4))))),
            "-0.75"
        );
    }
}
