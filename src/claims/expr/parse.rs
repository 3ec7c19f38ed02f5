//! The claim language's parser: a short Pratt parser over a hand-written lexer. Errors print
//! the expression with a caret under the column and say what was expected there.
//!
//! Grammar (lowest precedence first):
//!
//! ```text
//! expr    := or ('implies' expr)?
//! or      := and ('or' and)*
//! and     := not ('and' not)*
//! not     := 'not' not | rel
//! rel     := sum (('<=' | '<' | '>=' | '>' | '==' | '!=') sum)?
//! sum     := product (('+' | '-') product)*
//! product := unary (('*' | '/') unary)*
//! unary   := '-' unary | power
//! power   := apply ('^' unary)?
//! apply   := atom ('(' args ')')*          name(args), dist(y), bon(N+1)(y)
//! atom    := number | name | '(' expr ')'
//! ```

use std::collections::HashMap;

use rug::Rational;

use crate::error::{InputError, Result};

/// A node of the untyped tree, with the byte offset it starts at and its shape: equal
/// subtrees (positions aside) of one parse have equal shape ids, so the evaluator computes
/// two copies of a subexpression once.
#[derive(Debug, Clone, PartialEq)]
pub struct Node {
    /// Byte offset in the text (for error carets).
    pub at: usize,
    /// What the node is.
    pub kind: NodeKind,
    /// Equal subexpressions share a shape id (numbered at parse time).
    pub shape: u32,
    /// Reads the bound outcome `y` outside any binder of its own.
    pub free_y: bool,
    /// Another subtree of the same parse has this shape.
    pub repeated: bool,
}

impl Node {
    /// A node whose shape is numbered later, by [`parse`].
    pub fn new(at: usize, kind: NodeKind) -> Node {
        Node {
            at,
            kind,
            shape: 0,
            free_y: false,
            repeated: false,
        }
    }
}

/// Binders: their value does not depend on an outer `y` (`E_y`'s distribution aside).
const BINDERS: &[&str] = &["sum_y", "max_y", "min_y", "E_y", "forall_y", "exists_y"];

#[derive(PartialEq, Eq, Hash)]
enum Shape {
    Number(Rational),
    Name(String),
    Apply(u32, Vec<u32>),
    Neg(u32),
    Not(u32),
    Binary(String, u32, u32),
}

/// Marks the nodes whose shape occurs more than once (`uses` counts each shape id).
fn mark_repeated(node: &mut Node, uses: &[u32]) {
    node.repeated = uses[node.shape as usize] > 1;
    match &mut node.kind {
        NodeKind::Number(_) | NodeKind::Name(_) => {}
        NodeKind::Neg(a) | NodeKind::Not(a) => mark_repeated(a, uses),
        NodeKind::Binary(_, a, b) => {
            mark_repeated(a, uses);
            mark_repeated(b, uses);
        }
        NodeKind::Apply(c, args) => {
            mark_repeated(c, uses);
            args.iter_mut().for_each(|a| mark_repeated(a, uses));
        }
    }
}

/// Numbers the shapes of `node`'s subtrees bottom-up (`ids` interns them; `uses` counts how
/// often each id occurs).
fn number_shapes(node: &mut Node, ids: &mut HashMap<Shape, u32>, uses: &mut Vec<u32>) {
    let (shape, free_y) = match &mut node.kind {
        NodeKind::Number(x) => (Shape::Number(x.clone()), false),
        NodeKind::Name(n) => (Shape::Name(n.clone()), n == "y"),
        NodeKind::Neg(a) => {
            number_shapes(a, ids, uses);
            (Shape::Neg(a.shape), a.free_y)
        }
        NodeKind::Not(a) => {
            number_shapes(a, ids, uses);
            (Shape::Not(a.shape), a.free_y)
        }
        NodeKind::Binary(op, a, b) => {
            number_shapes(a, ids, uses);
            number_shapes(b, ids, uses);
            (
                Shape::Binary(op.clone(), a.shape, b.shape),
                a.free_y || b.free_y,
            )
        }
        NodeKind::Apply(callee, args) => {
            number_shapes(callee, ids, uses);
            for a in args.iter_mut() {
                number_shapes(a, ids, uses);
            }
            let binder = match &callee.kind {
                NodeKind::Name(n) => BINDERS.iter().find(|b| **b == n.as_str()).copied(),
                _ => None,
            };
            let free_y = match binder {
                Some("E_y") => args.first().is_some_and(|a| a.free_y),
                Some(_) => false,
                None => callee.free_y || args.iter().any(|a| a.free_y),
            };
            (
                Shape::Apply(callee.shape, args.iter().map(|a| a.shape).collect()),
                free_y,
            )
        }
    };
    let next = ids.len() as u32;
    node.shape = *ids.entry(shape).or_insert(next);
    node.free_y = free_y;
    if uses.len() <= node.shape as usize {
        uses.push(0);
    }
    uses[node.shape as usize] += 1;
}

#[derive(Debug, Clone, PartialEq)]
/// The kinds of node of the claim language.
pub enum NodeKind {
    /// An exact number.
    Number(Rational),
    /// A name (`N`, `m`, `K`, `bon`, `p`, a bound variable).
    Name(String),
    /// `callee(args)`: a function call, or a distribution applied to an outcome.
    Apply(Box<Node>, Vec<Node>),
    /// `-x`.
    Neg(Box<Node>),
    /// `not x`.
    Not(Box<Node>),
    /// `+ - * / ^ <= < >= > == != and or implies`.
    Binary(String, Box<Node>, Box<Node>),
}

#[derive(Debug, Clone, PartialEq)]
enum Token {
    Number(String),
    Name(String),
    Op(String),
    Open,
    Close,
    Comma,
    End,
}

fn lex(text: &str) -> std::result::Result<Vec<(usize, Token)>, (usize, String)> {
    let bytes = text.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        let c = bytes[i] as char;
        if c.is_whitespace() {
            i += 1;
            continue;
        }
        let start = i;
        if c.is_ascii_digit() || (c == '.' && bytes.get(i + 1).is_some_and(|b| b.is_ascii_digit()))
        {
            while i < bytes.len() && ((bytes[i] as char).is_ascii_digit() || bytes[i] == b'.') {
                i += 1;
            }
            out.push((start, Token::Number(text[start..i].to_string())));
            continue;
        }
        if c.is_ascii_alphabetic() || c == '_' {
            while i < bytes.len()
                && ((bytes[i] as char).is_ascii_alphanumeric() || bytes[i] == b'_')
            {
                i += 1;
            }
            let word = &text[start..i];
            match word {
                "and" | "or" | "not" | "implies" => out.push((start, Token::Op(word.to_string()))),
                _ => out.push((start, Token::Name(word.to_string()))),
            }
            continue;
        }
        let two = text.get(i..i + 2).unwrap_or("");
        if ["<=", ">=", "==", "!="].contains(&two) {
            out.push((start, Token::Op(two.to_string())));
            i += 2;
            continue;
        }
        match c {
            '+' | '-' | '*' | '/' | '^' | '<' | '>' => out.push((start, Token::Op(c.to_string()))),
            '(' => out.push((start, Token::Open)),
            ')' => out.push((start, Token::Close)),
            ',' => out.push((start, Token::Comma)),
            _ => {
                let ch = text[i..].chars().next().unwrap_or('?');
                return Err((start, format!("'{ch}' is not part of the language")));
            }
        }
        i += c.len_utf8();
    }
    out.push((text.len(), Token::End));
    Ok(out)
}

/// `what` at byte `at` of `text`, with the expression and a caret under the column.
pub fn located(text: &str, at: usize, what: &str) -> InputError {
    let column = text[..at.min(text.len())].chars().count();
    InputError::malformed(format!(
        "expression: {what} (column {}):\n  {text}\n  {}^",
        column + 1,
        " ".repeat(column)
    ))
}

struct Parser<'a> {
    text: &'a str,
    tokens: Vec<(usize, Token)>,
    next: usize,
    /// Nesting of the recursive descent, bounded so that no input can overflow the stack.
    depth: usize,
}

/// Deepest nesting accepted (parentheses, unary operators, arguments).
pub const MAX_DEPTH: usize = 200;

impl Parser<'_> {
    fn peek(&self) -> &Token {
        &self.tokens[self.next].1
    }
    fn at(&self) -> usize {
        self.tokens[self.next].0
    }
    fn bump(&mut self) -> (usize, Token) {
        let t = self.tokens[self.next].clone();
        if self.next + 1 < self.tokens.len() {
            self.next += 1;
        }
        t
    }
    fn fail(&self, what: &str) -> InputError {
        let found = match self.peek() {
            Token::End => "the end".to_string(),
            Token::Number(n) => format!("'{n}'"),
            Token::Name(n) => format!("'{n}'"),
            Token::Op(o) => format!("'{o}'"),
            Token::Open => "'('".into(),
            Token::Close => "')'".into(),
            Token::Comma => "','".into(),
        };
        located(
            self.text,
            self.at(),
            &format!("expected {what}, found {found}"),
        )
    }
    fn op(&self) -> Option<String> {
        match self.peek() {
            Token::Op(o) => Some(o.clone()),
            _ => None,
        }
    }
    fn binary(&mut self, ops: &[&str], lower: fn(&mut Self) -> Result<Node>) -> Result<Node> {
        let mut left = lower(self)?;
        let mut chain = 0;
        while let Some(op) = self.op().filter(|o| ops.contains(&o.as_str())) {
            let at = self.at();
            // A chain a + b + ... nests to the left: it counts towards the depth too.
            chain += 1;
            if self.depth + chain > MAX_DEPTH {
                return Err(located(
                    self.text,
                    at,
                    &format!("the expression is nested more than {MAX_DEPTH} deep"),
                ));
            }
            self.bump();
            let right = lower(self)?;
            left = Node::new(at, NodeKind::Binary(op, Box::new(left), Box::new(right)));
        }
        Ok(left)
    }
    fn deeper(&mut self) -> Result<()> {
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            return Err(located(
                self.text,
                self.at(),
                &format!("the expression is nested more than {MAX_DEPTH} deep"),
            ));
        }
        Ok(())
    }
    /// Runs one level of the descent one deeper, so that nesting stays bounded.
    fn nested(&mut self, level: fn(&mut Self) -> Result<Node>) -> Result<Node> {
        self.deeper()?;
        let out = level(self);
        self.depth -= 1;
        out
    }
    fn expr(&mut self) -> Result<Node> {
        self.nested(Self::expr_inner)
    }
    fn expr_inner(&mut self) -> Result<Node> {
        let left = self.binary(&["or"], |p| p.binary(&["and"], Self::not))?;
        if self.op().as_deref() == Some("implies") {
            let at = self.at();
            self.bump();
            let right = self.expr()?;
            return Ok(Node::new(
                at,
                NodeKind::Binary("implies".into(), Box::new(left), Box::new(right)),
            ));
        }
        Ok(left)
    }
    fn not(&mut self) -> Result<Node> {
        if self.op().as_deref() == Some("not") {
            let at = self.at();
            self.bump();
            let inner = self.nested(Self::not)?;
            return Ok(Node::new(at, NodeKind::Not(Box::new(inner))));
        }
        self.rel()
    }
    fn rel(&mut self) -> Result<Node> {
        let left = self.sum()?;
        if let Some(op) = self
            .op()
            .filter(|o| ["<=", "<", ">=", ">", "==", "!="].contains(&o.as_str()))
        {
            let at = self.at();
            self.bump();
            let right = self.sum()?;
            if let Some(again) = self
                .op()
                .filter(|o| ["<=", "<", ">=", ">", "==", "!="].contains(&o.as_str()))
            {
                return Err(located(
                    self.text,
                    self.at(),
                    &format!("a second relation '{again}': chain relations with 'and'"),
                ));
            }
            return Ok(Node::new(
                at,
                NodeKind::Binary(op, Box::new(left), Box::new(right)),
            ));
        }
        Ok(left)
    }
    fn sum(&mut self) -> Result<Node> {
        self.binary(&["+", "-"], Self::product)
    }
    fn product(&mut self) -> Result<Node> {
        self.binary(&["*", "/"], Self::unary)
    }
    fn unary(&mut self) -> Result<Node> {
        if self.op().as_deref() == Some("-") {
            let at = self.at();
            self.bump();
            let inner = self.nested(Self::unary)?;
            return Ok(Node::new(at, NodeKind::Neg(Box::new(inner))));
        }
        self.power()
    }
    fn power(&mut self) -> Result<Node> {
        let base = self.apply()?;
        if self.op().as_deref() == Some("^") {
            let at = self.at();
            self.bump();
            let exponent = self.nested(Self::unary)?;
            return Ok(Node::new(
                at,
                NodeKind::Binary("^".into(), Box::new(base), Box::new(exponent)),
            ));
        }
        Ok(base)
    }
    fn apply(&mut self) -> Result<Node> {
        let mut node = self.atom()?;
        let mut chain = 0;
        while *self.peek() == Token::Open {
            let at = self.at();
            chain += 1;
            if self.depth + chain > MAX_DEPTH {
                return Err(located(
                    self.text,
                    at,
                    &format!("the expression is nested more than {MAX_DEPTH} deep"),
                ));
            }
            self.bump();
            let mut args = Vec::new();
            if *self.peek() != Token::Close {
                loop {
                    args.push(self.expr()?);
                    match self.peek() {
                        Token::Comma => {
                            self.bump();
                        }
                        Token::Close => break,
                        _ => return Err(self.fail("',' or ')'")),
                    }
                }
            }
            self.bump();
            node = Node::new(at, NodeKind::Apply(Box::new(node), args));
        }
        Ok(node)
    }
    fn atom(&mut self) -> Result<Node> {
        let at = self.at();
        match self.peek().clone() {
            Token::Number(n) => {
                self.bump();
                let value = crate::exact::parse_rational(&n)
                    .map_err(|_| located(self.text, at, &format!("'{n}' is not a number")))?;
                Ok(Node::new(at, NodeKind::Number(value)))
            }
            Token::Name(n) => {
                self.bump();
                Ok(Node::new(at, NodeKind::Name(n)))
            }
            Token::Open => {
                self.bump();
                let inner = self.expr()?;
                if *self.peek() != Token::Close {
                    return Err(self.fail("')'"));
                }
                self.bump();
                Ok(inner)
            }
            _ => Err(self.fail("a number, a name or '('")),
        }
    }
}

/// Parses an expression of the claim language.
pub fn parse(text: &str) -> Result<Node> {
    let tokens = lex(text).map_err(|(at, what)| located(text, at, &what))?;
    let mut parser = Parser {
        text,
        tokens,
        next: 0,
        depth: 0,
    };
    let mut node = parser.expr()?;
    if *parser.peek() != Token::End {
        return Err(parser.fail("an operator or the end"));
    }
    let mut uses = Vec::new();
    number_shapes(&mut node, &mut HashMap::new(), &mut uses);
    mark_repeated(&mut node, &uses);
    Ok(node)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_precedence_and_application() {
        let n = parse("kl(bon, p) <= log(N) - (N-1)/N").unwrap();
        let NodeKind::Binary(op, _, right) = &n.kind else {
            panic!()
        };
        assert_eq!(op, "<=");
        assert!(matches!(&right.kind, NodeKind::Binary(o, _, _) if o == "-"));
        let n = parse("bon(N+1)(y)").unwrap();
        assert!(
            matches!(&n.kind, NodeKind::Apply(inner, _) if matches!(inner.kind, NodeKind::Apply(_, _)))
        );
        assert!(parse("2^-1").is_ok());
    }

    #[test]
    fn errors_point_at_the_column() {
        let e = parse("kl(bon, p) <= ").unwrap_err().message().to_string();
        assert!(
            e.contains("column 15") && e.contains("found the end"),
            "{e}"
        );
        let e = parse("1 < 2 < 3").unwrap_err().message().to_string();
        assert!(e.contains("chain relations with 'and'"), "{e}");
        let e = parse("p # q").unwrap_err().message().to_string();
        assert!(
            e.contains("'#' is not part of the language") && e.contains("  ^"),
            "{e}"
        );
    }
}
