(* ===================================================================================== *)
(* The bestofn prelude: best-of-N from its definition. The same text opens every file     *)
(* `bestofn ... --coq` writes. It trusts nothing of bestofn: the law below is the sum over *)
(* every N-tuple of draws, not bestofn's class formula. Read it in a minute.             *)
(* ===================================================================================== *)
From Coq Require Import QArith Qminmax Qabs Qreals List Bool Reals Lra.
From Interval Require Import Specific_stdz Specific_ops Tactic.
Import ListNotations.
(* coq-interval on floats over Coq's integers Z (not machine integers or floats), so that a
   proof rests on no axiom beyond those of Coq's real numbers (Print Assumptions shows them). *)
Module FloatsOnZ := SpecificFloat StdZRadix2.
Module IntervalOnZ := IntervalTactic FloatsOnZ.
Import IntervalOnZ.
Open Scope Q_scope.

(* An outcome is a sequence of letters 0..K-1. *)
Definition word := list nat.
Definition word_eqb (a b : word) : bool := if list_eq_dec Nat.eq_dec a b then true else false.

(* The K^m sequences of length m, in lexicographic order. *)
Fixpoint words (K m : nat) : list word :=
  match m with
  | O => [[]]
  | S m' => flat_map (fun a => map (cons a) (words K m')) (seq 0 K)
  end.

(* Exact sums and products of rationals (reduced as they go, so numbers stay small). *)
Definition qsum (l : list Q) : Q := fold_right (fun a b => Qred (a + b)) 0 l.
Definition qprod (l : list Q) : Q := fold_right (fun a b => Qred (a * b)) 1 l.
Definition count (y : word) (t : list word) : nat := length (filter (word_eqb y) t).

(* An exact integer as a natural number or an integer; the integers a..b. *)
Definition qnat (x : Q) : nat := Z.to_nat (Qnum (Qred x)).
Definition qint (x : Q) : Z := Qnum (Qred x).
Definition qrange (a b : Q) : list Q :=
  map (fun i => inject_Z (qint a + Z.of_nat i)) (seq 0 (Z.to_nat (qint b - qint a + 1))).

(* The probability of a sequence under a memoryless source: the product over its letters. *)
Definition seq_prob (letters : list Q) (y : word) : Q := qprod (map (fun a => nth a letters 0) y).

(* The ordered n-tuples of draws. *)
Fixpoint tuples (outs : list word) (n : nat) : list (list word) :=
  match n with
  | O => [[]]
  | S n' => flat_map (fun t => map (fun w => w :: t) outs) (tuples outs n')
  end.

Inductive tie_break := Uniform | LexMin | LexMax.

Fixpoint word_ltb (a b : word) : bool :=
  match a, b with
  | x :: a', y :: b' => Nat.ltb x y || (Nat.eqb x y && word_ltb a' b')
  | [], _ :: _ => true
  | _, _ => false
  end.

(* The draws of t whose reward key is largest (best = true) or smallest (best = false). *)
Definition extreme (best : bool) (key : word -> Q) (t : list word) : list word :=
  let top := fold_right (fun w acc => if best then Qmax (key w) acc else Qmin (key w) acc)
                        (key (hd [] t)) t in
  filter (fun w => Qeq_bool (key w) top) t.

(* y's share of the selection from the tuple t: uniform among the extreme draws, or all of it
   when y is the first (lex-min) or last (lex-max) of them in lexicographic order. *)
Definition share (tb : tie_break) (best : bool) (key : word -> Q) (y : word) (t : list word) : Q :=
  let ws := extreme best key t in
  match tb with
  | Uniform => inject_Z (Z.of_nat (count y ws)) / inject_Z (Z.of_nat (length ws))
  | LexMin => if word_eqb y (fold_right (fun w a => if word_ltb w a then w else a) (hd [] ws) ws)
              then 1 else 0
  | LexMax => if word_eqb y (fold_right (fun w a => if word_ltb a w then w else a) (hd [] ws) ws)
              then 1 else 0
  end.

(* BEST-OF-n (worst-of-n when best = false) of n independent draws from D: the sum, over every
   n-tuple of draws, of the tuple's probability times y's share of the selection. *)
Definition select_of (outs : list word) (tb : tie_break) (best : bool) (key : word -> Q)
    (D : word -> Q) (n : nat) (y : word) : Q :=
  qsum (map (fun t => Qred (qprod (map D t) * share tb best key y t)) (tuples outs n)).

(* A function of the outcomes computed once (vm_compute evaluates the table once). *)
Definition tabulate (outs : list word) (f : word -> Q) : word -> Q :=
  let vals := map (fun y => (y, f y)) outs in
  fun y => match find (fun e => word_eqb (fst e) y) vals with Some e => snd e | None => 0 end.

(* The distribution proportional to f. *)
Definition normalize (outs : list word) (f : word -> Q) : word -> Q :=
  let total := qsum (map f outs) in tabulate outs (fun y => Qred (f y / total)).

(* The functionals of the claim language that are exact. *)
Definition cdf (outs : list word) (key : word -> Q) (P : word -> Q) (strict : bool) (y : word) : Q :=
  qsum (map (fun z => if (if strict then negb (Qle_bool (key y) (key z))
                          else Qle_bool (key z) (key y)) then P z else 0) outs).
Definition top_mass (outs : list word) (key : word -> Q) (P : word -> Q) : Q :=
  let sup := filter (fun y => negb (Qeq_bool (P y) 0)) outs in
  let top := fold_right (fun w acc => Qmax (key w) acc) (key (hd [] sup)) sup in
  qsum (map (fun y => if Qeq_bool (key y) top then P y else 0) sup).
Definition qmax_over (outs : list word) (f : word -> Q) : Q :=
  fold_right (fun y acc => Qmax (f y) acc) (f (hd [] outs)) outs.
Definition qmin_over (outs : list word) (f : word -> Q) : Q :=
  fold_right (fun y acc => Qmin (f y) acc) (f (hd [] outs)) outs.
Definition chi2 (outs : list word) (A B : word -> Q) : Q :=
  qsum (map (fun y => if Qeq_bool (B y) 0 then 0 else A y * A y / B y) outs) - 1.
Definition tv (outs : list word) (A B : word -> Q) : Q :=
  qsum (map (fun y => Qabs (A y - B y)) outs) / 2.
(* P(key(Y) > key(Z)) (+ 1/2 P(key(Y) = key(Z)) unless strict), Y ~ A, Z ~ B. *)
Definition winrate (outs : list word) (key : word -> Q) (strict : bool) (A B : word -> Q) : Q :=
  qsum (map (fun y => qsum (map (fun z => A y * B z *
    (if negb (Qle_bool (key y) (key z)) then 1
     else if Qeq_bool (key y) (key z) then (if strict then 0 else 1 # 2) else 0)) outs)) outs).
(* The letter at position i (1 to m); y with positions i and j exchanged; P_D(Y_i = y_i). *)
Definition letter (y : word) (i : nat) : Q := inject_Z (Z.of_nat (nth (i - 1) y 0%nat)).
Definition swap (y : word) (i j : nat) : word :=
  map (fun k => nth (if Nat.eqb k (i - 1) then j - 1 else if Nat.eqb k (j - 1) then i - 1 else k)
                    y 0%nat) (seq 0 (length y)).
Definition marginal (outs : list word) (D : word -> Q) (i : nat) (y : word) : Q :=
  qsum (map (fun z => if Nat.eqb (nth (i - 1) z 0%nat) (nth (i - 1) y 0%nat) then D z else 0) outs).
Definition choose (n k : Q) : Q :=
  if Qle_bool 0 k && Qle_bool k n
  then qprod (map (fun i => (n - k + i) / i) (qrange 1 k)) else 0.

(* ---- Exact statements: relations, connectives and quantifiers over finite lists. ---- *)
Inductive rel := Eq | Ne | Le | Lt | Ge | Gt.
Definition rel_holds (r : rel) (a b : Q) : Prop :=
  match r with Eq => a == b | Ne => ~ a == b | Le => a <= b | Lt => a < b
  | Ge => b <= a | Gt => b < a end.
Definition rel_decide (r : rel) (a b : Q) : bool :=
  match r with Eq => Qeq_bool a b | Ne => negb (Qeq_bool a b) | Le => Qle_bool a b
  | Lt => negb (Qle_bool b a) | Ge => Qle_bool b a | Gt => negb (Qle_bool a b) end.

Inductive formula :=
| Rel : rel -> Q -> Q -> formula
| And : formula -> formula -> formula
| Or : formula -> formula -> formula
| Not : formula -> formula
| Implies : formula -> formula -> formula
| ForallIn : list word -> (word -> formula) -> formula
| ExistsIn : list word -> (word -> formula) -> formula.

(* What a formula means ... *)
Fixpoint holds (f : formula) : Prop :=
  match f with
  | Rel r a b => rel_holds r a b
  | And a b => holds a /\ holds b
  | Or a b => holds a \/ holds b
  | Not a => ~ holds a
  | Implies a b => holds a -> holds b
  | ForallIn l g => forall y, In y l -> holds (g y)
  | ExistsIn l g => exists y, In y l /\ holds (g y)
  end.

(* ... and how it is computed. *)
Fixpoint decide (f : formula) : bool :=
  match f with
  | Rel r a b => rel_decide r a b
  | And a b => decide a && decide b
  | Or a b => decide a || decide b
  | Not a => negb (decide a)
  | Implies a b => negb (decide a) || decide b
  | ForallIn l g => forallb (fun y => decide (g y)) l
  | ExistsIn l g => existsb (fun y => decide (g y)) l
  end.

Lemma rel_decide_spec : forall r a b, rel_decide r a b = true <-> rel_holds r a b.
Proof.
  intros [] a b; simpl; rewrite ?negb_true_iff, ?Qeq_bool_iff, ?Qle_bool_iff.
  all: try tauto.
  all: split; intro H.
  all: try (intro E; apply Qeq_bool_iff in E; congruence).
  all: try (destruct (Qeq_bool a b) eqn:E; [apply Qeq_bool_iff in E; tauto | reflexivity]).
  all: try (apply Qnot_le_lt; intro E; apply Qle_bool_iff in E; congruence).
  all: try (destruct (Qle_bool _ _) eqn:E;
            [apply Qle_bool_iff in E; exfalso; eapply Qlt_not_le; eassumption | reflexivity]).
Qed.

Theorem decide_spec : forall f, decide f = true <-> holds f.
Proof.
  induction f as [r a b | a IHa b IHb | a IHa b IHb | a IHa | a IHa b IHb | l g IH | l g IH];
    simpl.
  - apply rel_decide_spec.
  - rewrite andb_true_iff; tauto.
  - rewrite orb_true_iff; tauto.
  - rewrite negb_true_iff, <- IHa; destruct (decide a); intuition congruence.
  - rewrite orb_true_iff, negb_true_iff, <- IHa, <- IHb; destruct (decide a); intuition congruence.
  - rewrite forallb_forall; split; intros H y Hy; apply IH; auto.
  - rewrite existsb_exists; split; intros [y [Hy H]]; exists y; split; auto; apply IH; auto.
Qed.

Lemma holds_by_computation : forall f, decide f = true -> holds f.
Proof. intros f H; apply decide_spec, H. Qed.
Lemma refuted_by_computation : forall f, decide f = false -> ~ holds f.
Proof. intros f H E; apply decide_spec in E; congruence. Qed.

(* A pmf: non-negative entries summing to 1. *)
Definition is_pmf (letters : list Q) : Prop := qsum letters == 1 /\ Forall (fun x => 0 <= x) letters.
Lemma is_pmf_by_computation : forall l,
  Qeq_bool (qsum l) 1 && forallb (fun x => Qle_bool 0 x) l = true -> is_pmf l.
Proof.
  intros l H; apply andb_true_iff in H; destruct H as [H1 H2]; split.
  - apply Qeq_bool_iff, H1.
  - apply Forall_forall; intros x Hx; rewrite forallb_forall in H2; apply Qle_bool_iff, H2, Hx.
Qed.

(* ---- Statements with logarithms: exact values enter the reals through Q2R. ---- *)
Open Scope R_scope.
Definition Rsum (l : list R) : R := fold_right Rplus 0 l.
(* KL(A || B) = sum over A > 0 of A ln (A / B); entropy and cross-entropy likewise. *)
Definition Rkl (outs : list word) (A B : word -> Q) : R :=
  Rsum (map (fun y => if Qle_bool (A y) 0 then 0 else Q2R (A y) * ln (Q2R (A y) / Q2R (B y))) outs).
Definition Rentropy (outs : list word) (A : word -> Q) : R :=
  - Rsum (map (fun y => if Qle_bool (A y) 0 then 0 else Q2R (A y) * ln (Q2R (A y))) outs).
Definition Rcross_entropy (outs : list word) (A B : word -> Q) : R :=
  - Rsum (map (fun y => if Qle_bool (A y) 0 then 0 else Q2R (A y) * ln (Q2R (B y))) outs).

Lemma Q2R_by_computation : forall x v : Q,
  Qeq_bool x v = true -> Q2R x = IZR (Qnum v) * / IZR (Zpos (Qden v)).
Proof. intros x v H; apply Qeq_bool_iff, Qeq_eqR in H; rewrite H; reflexivity. Qed.

(* Quantifiers over a finite list, as a conjunction or disjunction over its elements: a
   literal list unfolds them (cbn), and they mean what the binders say. *)
Definition forall_in (l : list word) (P : word -> Prop) : Prop :=
  fold_right (fun y acc => P y /\ acc) True l.
Definition exists_in (l : list word) (P : word -> Prop) : Prop :=
  fold_right (fun y acc => P y \/ acc) False l.
Lemma forall_in_spec : forall l P, forall_in l P <-> (forall y, In y l -> P y).
Proof.
  induction l as [| a l IH]; intros P; simpl.
  - tauto.
  - rewrite IH; split; [intros [H1 H2] y [<- | Hy]; auto | intro H; split; auto].
Qed.
Lemma exists_in_spec : forall l P, exists_in l P <-> (exists y, In y l /\ P y).
Proof.
  induction l as [| a l IH]; intros P; simpl.
  - split; [intros [] | intros [y [[] _]]].
  - rewrite IH; split.
    + intros [H | [y [Hy H]]]; [exists a | exists y]; auto.
    + intros [y [[<- | Hy] H]]; [left | right; exists y]; auto.
Qed.

(* Every closed exact value becomes its rational literal and every decided test its branch,
   so that only real constants, ln, exp and sqrt are left for interval. A file makes the
   exact functions Opaque first: rewrite's matching would otherwise compare values by
   computing them (vm_compute ignores opacity, and the kernel re-checks every step). *)
Ltac exact_parts :=
  repeat match goal with
  | |- context [if ?c then _ else _] =>
      let v := eval vm_compute in c in
      replace c with v by (vm_compute; reflexivity); cbn beta iota
  | |- context [Q2R ?x] =>
      let v := eval vm_compute in (Qred x) in
      rewrite (Q2R_by_computation x v ltac:(vm_compute; reflexivity)); cbn [Qnum Qden]
  end.

Ltac enclose := first [interval with (i_prec 64) | interval with (i_prec 256) | interval with (i_prec 1024)].

(* Prove a statement of real constants, or its negation, from its atoms' enclosures. *)
Ltac prove_real :=
  lazymatch goal with
  | |- ~ ?a => intro; refute_real a
  | |- ?a /\ ?b => split; prove_real
  | |- ?a \/ ?b => first [left; prove_real | right; prove_real]
  | |- ?a -> ?b => first [intro; prove_real | let H := fresh in intro H; exfalso; revert H; refute_hyp]
  | |- True => exact I
  | |- ?a = ?b => first [lra | field]
  | |- ?a <> ?b => first [assert (a < b) by enclose | assert (b < a) by enclose]; lra
  | |- _ => enclose
  end
with refute_real a :=
  lazymatch a with
  | ?x /\ ?y => first [ (assert (~ x) by prove_real; tauto) | (assert (~ y) by prove_real; tauto) ]
  | ?x \/ ?y => assert (~ x) by prove_real; assert (~ y) by prove_real; tauto
  | ?x -> ?y => assert x by prove_real; assert (~ y) by prove_real; tauto
  | ~ ?x => assert x by prove_real; tauto
  | False => tauto
  | ?x = ?y => first [assert (x < y) by enclose | assert (y < x) by enclose]; lra
  | ?x <> ?y => assert (x = y) by first [lra | field]; tauto
  | ?x <= ?y => assert (y < x) by enclose; lra
  | ?x < ?y => assert (y <= x) by enclose; lra
  | ?x >= ?y => assert (x < y) by enclose; lra
  | ?x > ?y => assert (x <= y) by enclose; lra
  end
with refute_hyp := let H := fresh in intro H; lazymatch type of H with ?a => refute_real a end.
