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
//! apply   := atom ('(' args ')' | '[' expr ']')*   name(args), dist(y), bon(N+1)(y), y[1]
//! atom    := number | name | '(' expr ')'
//! ```

use rug::Rational;

use crate::error::{InputError, Result};

/// The function `y[i]` stands for.
pub const INDEX_FUNCTION: &str = "letter";

/// A node of the syntax tree: what was written, where (`at`, a byte offset into source `src`:
/// 0 is the statement, `i > 0` the body of the i-th helper of its claims file).
#[derive(Debug, Clone)]
pub struct Node {
    /// Byte offset in its source text (for error carets).
    pub at: usize,
    /// Which text `at` points into (0: the statement; i: the i-th helper's body).
    pub src: u16,
    /// What the node is.
    pub kind: NodeKind,
}

/// Two trees are equal when they have the same shape; positions are not compared (a parse of
/// a rendering equals the tree rendered).
impl PartialEq for Node {
    fn eq(&self, other: &Node) -> bool {
        self.kind == other.kind
    }
}

impl Node {
    /// A node of source 0.
    pub fn new(at: usize, kind: NodeKind) -> Node {
        Node { at, src: 0, kind }
    }

    /// Nodes in the tree (a helper's expansion is bounded by it).
    pub fn size(&self) -> usize {
        1 + match &self.kind {
            NodeKind::Number(_) | NodeKind::Name(_) => 0,
            NodeKind::Neg(a) | NodeKind::Not(a) => a.size(),
            NodeKind::Binary(_, a, b) => a.size() + b.size(),
            NodeKind::Apply(c, args) => c.size() + args.iter().map(Node::size).sum::<usize>(),
        }
    }
}

/// Arithmetic operators.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ArithOp {
    /// `+`
    Add,
    /// `-`
    Sub,
    /// `*`
    Mul,
    /// `/`
    Div,
    /// `^` (right-associative)
    Pow,
}

/// Relations (no chains: `a < b < c` is refused).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum RelOp {
    /// `<=`
    Le,
    /// `<`
    Lt,
    /// `>=`
    Ge,
    /// `>`
    Gt,
    /// `==` (exact equality)
    Eq,
    /// `!=`
    Ne,
}

/// Connectives (three-valued).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum LogicOp {
    /// `and`
    And,
    /// `or`
    Or,
    /// `implies` (right-associative)
    Implies,
}

/// A binary operator of the syntax.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum BinOp {
    /// `+ - * / ^`
    Arith(ArithOp),
    /// `<= < >= > == !=`
    Rel(RelOp),
    /// `and or implies`
    Logic(LogicOp),
}

/// Every binary operator, for the lexer and the tests.
pub const BINARY_OPS: &[BinOp] = &[
    BinOp::Logic(LogicOp::Implies),
    BinOp::Logic(LogicOp::Or),
    BinOp::Logic(LogicOp::And),
    BinOp::Rel(RelOp::Le),
    BinOp::Rel(RelOp::Lt),
    BinOp::Rel(RelOp::Ge),
    BinOp::Rel(RelOp::Gt),
    BinOp::Rel(RelOp::Eq),
    BinOp::Rel(RelOp::Ne),
    BinOp::Arith(ArithOp::Add),
    BinOp::Arith(ArithOp::Sub),
    BinOp::Arith(ArithOp::Mul),
    BinOp::Arith(ArithOp::Div),
    BinOp::Arith(ArithOp::Pow),
];

/// Binding levels of the grammar, loosest first: the parser's descent and the printer's
/// parentheses both read them from here (and only here).
pub mod level {
    /// `implies` (right-associative).
    pub const IMPLIES: u8 = 1;
    /// `or`.
    pub const OR: u8 = 2;
    /// `and`.
    pub const AND: u8 = 3;
    /// prefix `not`.
    pub const NOT: u8 = 4;
    /// a relation (its sides are sums).
    pub const REL: u8 = 5;
    /// `+ -`.
    pub const SUM: u8 = 6;
    /// `* /`.
    pub const PRODUCT: u8 = 7;
    /// prefix `-`.
    pub const UNARY: u8 = 8;
    /// `^`: its base is an application or atom, its exponent a unary.
    pub const POWER: u8 = 9;
    /// calls, names, numbers, parenthesised expressions.
    pub const ATOM: u8 = 10;
}

impl BinOp {
    /// The operator as written.
    pub fn symbol(self) -> &'static str {
        match self {
            BinOp::Arith(ArithOp::Add) => "+",
            BinOp::Arith(ArithOp::Sub) => "-",
            BinOp::Arith(ArithOp::Mul) => "*",
            BinOp::Arith(ArithOp::Div) => "/",
            BinOp::Arith(ArithOp::Pow) => "^",
            BinOp::Rel(RelOp::Le) => "<=",
            BinOp::Rel(RelOp::Lt) => "<",
            BinOp::Rel(RelOp::Ge) => ">=",
            BinOp::Rel(RelOp::Gt) => ">",
            BinOp::Rel(RelOp::Eq) => "==",
            BinOp::Rel(RelOp::Ne) => "!=",
            BinOp::Logic(LogicOp::And) => "and",
            BinOp::Logic(LogicOp::Or) => "or",
            BinOp::Logic(LogicOp::Implies) => "implies",
        }
    }

    /// The operator written `symbol`.
    pub fn from_symbol(symbol: &str) -> Option<BinOp> {
        BINARY_OPS.iter().copied().find(|op| op.symbol() == symbol)
    }

    /// `(own level, least level of the left operand, least level of the right operand)`:
    /// an operand below its least level is parenthesised by the printer.
    pub fn levels(self) -> (u8, u8, u8) {
        use level::*;
        match self {
            BinOp::Logic(LogicOp::Implies) => (IMPLIES, OR, IMPLIES),
            BinOp::Logic(LogicOp::Or) => (OR, OR, AND),
            BinOp::Logic(LogicOp::And) => (AND, AND, NOT),
            BinOp::Rel(_) => (REL, SUM, SUM),
            BinOp::Arith(ArithOp::Add | ArithOp::Sub) => (SUM, SUM, PRODUCT),
            BinOp::Arith(ArithOp::Mul | ArithOp::Div) => (PRODUCT, PRODUCT, UNARY),
            BinOp::Arith(ArithOp::Pow) => (POWER, ATOM, UNARY),
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
/// The kinds of node of the claim language's syntax.
pub enum NodeKind {
    /// An exact number (a literal: a terminating decimal).
    Number(Rational),
    /// A name as written (`N`, `bon`, `y`, a helper); resolved by the type checker.
    Name(String),
    /// `callee(args)`: a function call, or a distribution applied to an outcome.
    Apply(Box<Node>, Vec<Node>),
    /// `-x`.
    Neg(Box<Node>),
    /// `not x`.
    Not(Box<Node>),
    /// A binary operator.
    Binary(BinOp, Box<Node>, Box<Node>),
}

#[derive(Debug, Clone, PartialEq)]
enum Token {
    Number(String),
    Name(String),
    Op(String),
    Open,
    Close,
    OpenBracket,
    CloseBracket,
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
            '[' => out.push((start, Token::OpenBracket)),
            ']' => out.push((start, Token::CloseBracket)),
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
            Token::OpenBracket => "'['".into(),
            Token::CloseBracket => "']'".into(),
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
    /// The binary operator at the cursor, if it binds at `level`.
    fn binary_at(&self, level: u8) -> Option<BinOp> {
        self.op()
            .and_then(|o| BinOp::from_symbol(&o))
            .filter(|op| op.levels().0 == level)
    }
    /// A left-associative chain of operators of `level`.
    fn binary(&mut self, level: u8, lower: fn(&mut Self) -> Result<Node>) -> Result<Node> {
        let mut left = lower(self)?;
        let mut chain = 0;
        while let Some(op) = self.binary_at(level) {
            let at = self.at();
            // A chain a + b + ... nests to the left: it counts towards the depth too.
            chain += 1;
            if self.depth + chain > MAX_DEPTH {
                return Err(located(
                    self.text,
                    at,
                    &format!(
                        "more than {MAX_DEPTH} operators in a row: a chain `a + b + ...` nests one level per operator, and an expression nests at most {MAX_DEPTH} levels (write a long sum with sum_y or sum_n, or split it)"
                    ),
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
        let left = self.binary(level::OR, |p| p.binary(level::AND, Self::not))?;
        if let Some(op) = self.binary_at(level::IMPLIES) {
            let at = self.at();
            self.bump();
            let right = self.expr()?;
            return Ok(Node::new(
                at,
                NodeKind::Binary(op, Box::new(left), Box::new(right)),
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
        if let Some(op) = self.binary_at(level::REL) {
            let at = self.at();
            self.bump();
            let right = self.sum()?;
            if let Some(again) = self.binary_at(level::REL) {
                return Err(located(
                    self.text,
                    self.at(),
                    &format!(
                        "a second relation '{}': chain relations with 'and'",
                        again.symbol()
                    ),
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
        self.binary(level::SUM, Self::product)
    }
    fn product(&mut self) -> Result<Node> {
        self.binary(level::PRODUCT, Self::unary)
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
        if let Some(op) = self.binary_at(level::POWER) {
            let at = self.at();
            self.bump();
            let exponent = self.nested(Self::unary)?;
            return Ok(Node::new(
                at,
                NodeKind::Binary(op, Box::new(base), Box::new(exponent)),
            ));
        }
        Ok(base)
    }
    fn apply(&mut self) -> Result<Node> {
        let mut node = self.atom()?;
        let mut chain = 0;
        while matches!(self.peek(), Token::Open | Token::OpenBracket) {
            let at = self.at();
            chain += 1;
            if self.depth + chain > MAX_DEPTH {
                return Err(located(
                    self.text,
                    at,
                    &format!("the expression is nested more than {MAX_DEPTH} deep"),
                ));
            }
            if *self.peek() == Token::OpenBracket {
                // `y[i]` is `letter(y, i)`: one tree, which the printer writes back as `y[i]`.
                self.bump();
                let index = self.expr()?;
                if *self.peek() != Token::CloseBracket {
                    return Err(self.fail("']'"));
                }
                self.bump();
                let callee = Node::new(at, NodeKind::Name(INDEX_FUNCTION.into()));
                node = Node::new(at, NodeKind::Apply(Box::new(callee), vec![node, index]));
                continue;
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

/// Marks every node of `node` as pointing into source `src` (a helper's body).
pub fn mark_src(node: &mut Node, src: u16) {
    node.src = src;
    match &mut node.kind {
        NodeKind::Number(_) | NodeKind::Name(_) => {}
        NodeKind::Neg(a) | NodeKind::Not(a) => mark_src(a, src),
        NodeKind::Binary(_, a, b) => {
            mark_src(a, src);
            mark_src(b, src);
        }
        NodeKind::Apply(c, args) => {
            mark_src(c, src);
            args.iter_mut().for_each(|a| mark_src(a, src));
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
    let node = parser.expr()?;
    if *parser.peek() != Token::End {
        return Err(parser.fail("an operator or the end"));
    }
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
        assert_eq!(*op, BinOp::Rel(RelOp::Le));
        assert!(matches!(
            &right.kind,
            NodeKind::Binary(BinOp::Arith(ArithOp::Sub), _, _)
        ));
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
