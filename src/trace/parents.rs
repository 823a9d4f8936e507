//! What the parent links of one trace make of it beyond a tree: parent cycles (A→B→A, a span
//! that is its own parent) and span ids used by more than one span.

use std::collections::HashMap;

use super::model::{Parent, Span, index_by_id};

/// Every parent cycle of `trace`, each as the indexes of its spans in parent order, starting at
/// its lowest index. A parent id held by several spans resolves as [`index_by_id`] does.
pub fn cycles(trace: &[Span]) -> Vec<Vec<usize>> {
    #[derive(Clone, Copy, PartialEq)]
    enum State {
        New,
        OnPath,
        Done,
    }
    let ids = index_by_id(trace);
    let parent_of = |i: usize| match trace[i].parent {
        Parent::Id(p) => ids.get(&p).copied(),
        _ => None,
    };
    let mut state = vec![State::New; trace.len()];
    let mut found = Vec::new();
    for start in 0..trace.len() {
        let mut path = Vec::new();
        let mut at = Some(start);
        while let Some(i) = at.filter(|&i| state[i] == State::New) {
            state[i] = State::OnPath;
            path.push(i);
            at = parent_of(i);
        }
        if let Some(i) = at.filter(|&i| state[i] == State::OnPath)
            && let Some(from) = path.iter().position(|&p| p == i)
        {
            let mut cycle = path[from..].to_vec();
            let lowest = cycle
                .iter()
                .enumerate()
                .min_by_key(|(_, i)| **i)
                .map_or(0, |(n, _)| n);
            cycle.rotate_left(lowest);
            found.push(cycle);
        }
        for i in path {
            state[i] = State::Done;
        }
    }
    found
}

/// Span ids held by more than one span of `trace`, with the indexes of those spans, in the
/// order the ids first appear.
pub fn duplicate_ids(trace: &[Span]) -> Vec<(u64, Vec<usize>)> {
    let mut by_id: HashMap<u64, Vec<usize>> = HashMap::new();
    let mut order = Vec::new();
    for (i, span) in trace.iter().enumerate() {
        let holders = by_id.entry(span.span_id).or_default();
        if holders.is_empty() {
            order.push(span.span_id);
        }
        holders.push(i);
    }
    order
        .into_iter()
        .filter_map(|id| by_id.remove(&id).filter(|h| h.len() > 1).map(|h| (id, h)))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn span(id: u64, parent: Option<u64>) -> Span {
        Span {
            trace_id: 1,
            span_id: id,
            parent: parent.map_or(Parent::None, Parent::Id),
            service: 0,
            name: 0,
            host: 0,
            start: 0,
            end: 0,
        }
    }

    #[test]
    fn finds_cycles_of_any_length_once() {
        let trace = [
            span(1, None),
            span(2, Some(3)),
            span(3, Some(2)),
            span(4, Some(4)),
            span(5, Some(2)),
        ];
        assert_eq!(cycles(&trace), vec![vec![1, 2], vec![3]]);
        assert!(cycles(&[span(1, None), span(2, Some(1)), span(3, Some(9))]).is_empty());
    }

    #[test]
    fn finds_ids_held_twice() {
        let trace = [
            span(1, None),
            span(2, Some(1)),
            span(1, None),
            span(2, Some(1)),
            span(3, None),
        ];
        assert_eq!(
            duplicate_ids(&trace),
            vec![(1, vec![0, 2]), (2, vec![1, 3])]
        );
        assert!(duplicate_ids(&trace[..2]).is_empty());
    }
}
