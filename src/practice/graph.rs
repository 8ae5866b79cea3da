//! Worksheet 2(a), the computation graph: for each of z1, z2, z3, z4 and L the student picks
//! the operation that makes it and its inputs from fixed lists.

use super::HINT_LEVELS;

/// A node of the graph the student builds.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum GraphNode {
    Z1,
    Z2,
    Z3,
    Z4,
    Loss,
}

/// The operations offered for every node.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Operation {
    /// A matrix times a vector, like Ax.
    MatrixTimesVector,
    /// A dot product uᵀv.
    Dot,
    /// σ applied entry by entry.
    Sigmoid,
    /// One value minus another.
    Difference,
    /// One value plus another.
    Sum,
    /// A number squared.
    Square,
    /// Two vectors multiplied entry by entry.
    Entrywise,
}

/// The values offered as inputs.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Input {
    X,
    Y,
    A,
    B,
    Z1,
    Z2,
    Z3,
    Z4,
}

/// What the student picked for one node; `None` where nothing is picked yet. A one-input
/// operation reads `first` only.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct NodeChoice {
    pub operation: Option<Operation>,
    pub first: Option<Input>,
    pub second: Option<Input>,
}

/// The verdict on one node, with the reasons in plain words when it is wrong.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NodeVerdict {
    pub node: GraphNode,
    pub right: bool,
    /// Sentences for the student, most important first; empty when right.
    pub reasons: Vec<&'static str>,
}

impl GraphNode {
    /// In the order of the forward pass.
    pub const ALL: [GraphNode; 5] = [
        GraphNode::Z1,
        GraphNode::Z2,
        GraphNode::Z3,
        GraphNode::Z4,
        GraphNode::Loss,
    ];

    /// "z1" … "z4", "L".
    pub fn name(self) -> &'static str {
        match self {
            GraphNode::Z1 => "z1",
            GraphNode::Z2 => "z2",
            GraphNode::Z3 => "z3",
            GraphNode::Z4 => "z4",
            GraphNode::Loss => "L",
        }
    }

    pub fn from_name(name: &str) -> Option<GraphNode> {
        GraphNode::ALL.into_iter().find(|n| n.name() == name)
    }

    /// The node's definition: what it is, in words.
    pub fn definition(self) -> &'static str {
        match self {
            GraphNode::Z1 => "z1 = Ax: the matrix A times the input x, a vector of h entries.",
            GraphNode::Z2 => "z2 = σ(z1): σ applied to z1 entry by entry.",
            GraphNode::Z3 => "z3 = bᵀz2: the dot product of b and z2, one number (the prediction).",
            GraphNode::Z4 => "z4 = y − z3: the target minus the prediction, the error.",
            GraphNode::Loss => "L = z4²: the square of the error.",
        }
    }

    /// The right operation and inputs.
    pub fn answer(self) -> (Operation, Input, Option<Input>) {
        match self {
            GraphNode::Z1 => (Operation::MatrixTimesVector, Input::A, Some(Input::X)),
            GraphNode::Z2 => (Operation::Sigmoid, Input::Z1, None),
            GraphNode::Z3 => (Operation::Dot, Input::B, Some(Input::Z2)),
            GraphNode::Z4 => (Operation::Difference, Input::Y, Some(Input::Z3)),
            GraphNode::Loss => (Operation::Square, Input::Z4, None),
        }
    }

    /// Which z's exist before this node is computed (z1 … z_k).
    fn earlier_zs(self) -> usize {
        match self {
            GraphNode::Z1 => 0,
            GraphNode::Z2 => 1,
            GraphNode::Z3 => 2,
            GraphNode::Z4 => 3,
            GraphNode::Loss => 4,
        }
    }

    fn order_reason(self) -> &'static str {
        match self {
            GraphNode::Z1 => "z1 is computed first: it can only use x, y, A and b.",
            GraphNode::Z2 => "z2 can only use values computed before it: x, y, A, b and z1.",
            GraphNode::Z3 => "z3 can only use values computed before it: x, y, A, b, z1 and z2.",
            GraphNode::Z4 => "z4 can only use values computed before it, up to z3.",
            GraphNode::Loss => "L can use any value before it, up to z4.",
        }
    }
}

impl Operation {
    pub const ALL: [Operation; 7] = [
        Operation::MatrixTimesVector,
        Operation::Dot,
        Operation::Sigmoid,
        Operation::Difference,
        Operation::Sum,
        Operation::Square,
        Operation::Entrywise,
    ];

    /// A stable name for the page.
    pub fn name(self) -> &'static str {
        match self {
            Operation::MatrixTimesVector => "matrix_times_vector",
            Operation::Dot => "dot",
            Operation::Sigmoid => "sigmoid",
            Operation::Difference => "difference",
            Operation::Sum => "sum",
            Operation::Square => "square",
            Operation::Entrywise => "entrywise",
        }
    }

    pub fn from_name(name: &str) -> Option<Operation> {
        Operation::ALL.into_iter().find(|o| o.name() == name)
    }

    /// The label a student reads, with □ for the inputs.
    pub fn label(self) -> &'static str {
        match self {
            Operation::MatrixTimesVector => "□ □ (matrix times vector)",
            Operation::Dot => "□ᵀ □ (dot product)",
            Operation::Sigmoid => "σ(□) (entry by entry)",
            Operation::Difference => "□ − □",
            Operation::Sum => "□ + □",
            Operation::Square => "(□)²",
            Operation::Entrywise => "□ ⊙ □ (entry by entry)",
        }
    }

    /// How many inputs it takes.
    pub fn arity(self) -> usize {
        match self {
            Operation::Sigmoid | Operation::Square => 1,
            _ => 2,
        }
    }

    /// Why this operation does not make the node in question.
    fn misfit(self) -> &'static str {
        match self {
            Operation::MatrixTimesVector => {
                "A matrix times a vector, like Ax, gives a vector; only z1 is made that way."
            }
            Operation::Dot => "A dot product uᵀv gives one number; only z3 is made that way.",
            Operation::Sigmoid => "σ(·) keeps the shape of its input; only z2 is made that way.",
            Operation::Difference => "The only difference in the graph is the error z4 = y − z3.",
            Operation::Sum => "Nothing in this network adds two values (it has no bias terms).",
            Operation::Square => "Squaring comes only at the end, turning the error into the loss.",
            Operation::Entrywise => {
                "Nothing in the forward pass multiplies entry by entry; ⊙ appears only in the \
                 backward pass."
            }
        }
    }
}

impl Input {
    pub const ALL: [Input; 8] = [
        Input::X,
        Input::Y,
        Input::A,
        Input::B,
        Input::Z1,
        Input::Z2,
        Input::Z3,
        Input::Z4,
    ];

    /// "x", "y", "A", "b", "z1" … "z4".
    pub fn name(self) -> &'static str {
        match self {
            Input::X => "x",
            Input::Y => "y",
            Input::A => "A",
            Input::B => "b",
            Input::Z1 => "z1",
            Input::Z2 => "z2",
            Input::Z3 => "z3",
            Input::Z4 => "z4",
        }
    }

    pub fn from_name(name: &str) -> Option<Input> {
        Input::ALL.into_iter().find(|i| i.name() == name)
    }

    /// For z_k, k; 0 for x, y, A and b.
    fn z_index(self) -> usize {
        match self {
            Input::Z1 => 1,
            Input::Z2 => 2,
            Input::Z3 => 3,
            Input::Z4 => 4,
            _ => 0,
        }
    }
}

/// Checks one node.
pub fn check_node(node: GraphNode, choice: NodeChoice) -> NodeVerdict {
    let mut reasons = Vec::new();
    let (operation, first, second) = node.answer();
    match choice.operation {
        None => reasons.push("Pick the operation that makes this node."),
        Some(chosen) if chosen != operation => {
            reasons.push(node.definition());
            reasons.push(chosen.misfit());
        }
        Some(chosen) => {
            let picked: Vec<Input> = [choice.first, choice.second]
                .into_iter()
                .take(chosen.arity())
                .flatten()
                .collect();
            if picked.len() < chosen.arity() {
                reasons.push(if chosen.arity() == 1 {
                    "Pick the input."
                } else {
                    "Pick both inputs."
                });
            } else if picked.iter().any(|i| i.z_index() > node.earlier_zs()) {
                reasons.push(node.order_reason());
            } else if !inputs_fit(node, &picked, first, second) {
                reasons.push(node.definition());
                if let Some(reason) = order_matters(node, &picked, first, second) {
                    reasons.push(reason);
                }
            }
        }
    }
    NodeVerdict {
        node,
        right: reasons.is_empty(),
        reasons,
    }
}

/// Checks the whole graph, node by node in [`GraphNode::ALL`] order.
pub fn check_graph(choices: &[NodeChoice; 5]) -> Vec<NodeVerdict> {
    GraphNode::ALL
        .into_iter()
        .zip(choices)
        .map(|(node, choice)| check_node(node, *choice))
        .collect()
}

fn inputs_fit(node: GraphNode, picked: &[Input], first: Input, second: Option<Input>) -> bool {
    match (picked, second) {
        ([only], None) => *only == first,
        ([a, b], Some(second)) => {
            (*a, *b) == (first, second)
                // The dot product is symmetric: z2ᵀb = bᵀz2.
                || node == GraphNode::Z3 && (*a, *b) == (second, first)
        }
        _ => false,
    }
}

/// The right inputs in the wrong order, where the order matters.
fn order_matters(
    node: GraphNode,
    picked: &[Input],
    first: Input,
    second: Option<Input>,
) -> Option<&'static str> {
    let swapped = matches!((picked, second), ([a, b], Some(s)) if (*a, *b) == (s, first));
    match node {
        GraphNode::Z1 if swapped => {
            Some("The order matters: A (h × m) times x (m × 1); x times A is not defined.")
        }
        GraphNode::Z4 if swapped => Some(
            "The order matters: z4 = y − z3, the target minus the prediction; z3 − y is its \
             negative.",
        ),
        _ => None,
    }
}

/// Three hints for the graph, each more specific.
pub fn hints() -> [&'static str; HINT_LEVELS] {
    [
        "Follow the forward pass in the worksheet: each z is made from values computed before \
         it.",
        "z1 and z2 are vectors of h entries; z3, z4 and L are numbers. Only one node applies σ.",
        "z1 = A x, z2 = σ(z1), z3 = bᵀz2, z4 = y − z3, L = z4².",
    ]
}
