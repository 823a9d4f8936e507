//! Parent/child timing the way Jaeger's clock-skew adjuster sees it (field guide D1): the tree is
//! walked from the roots; a child on another host gets `delta` = the shift that would put it
//! inside its (already adjusted) parent, and its subtree on the same host inherits that shift.

use super::model::{Parent, Span, TraceSet, index_by_id};

/// One parent → child link of a trace, by index into [`TraceSet::spans`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Link {
    pub parent: usize,
    pub child: usize,
    /// Whether parent and child ran on different hosts (by [`TraceSet::host_label`]).
    pub cross_host: bool,
    /// The child's raw interval is not inside the parent's adjusted interval.
    pub outside: bool,
    /// The shift Jaeger would apply to the child (ns); 0 for same-host links.
    pub delta: i64,
    /// The child starts before its parent, by the raw timestamps.
    pub starts_before: bool,
}

/// Every parent → child link of every trace, with Jaeger's skew arithmetic applied.
pub fn links(set: &TraceSet) -> Vec<Link> {
    let mut out = Vec::new();
    for range in &set.traces {
        let trace = &set.spans[range.clone()];
        let index = index_by_id(trace);
        let mut children = vec![Vec::new(); trace.len()];
        let mut roots = Vec::new();
        for (i, span) in trace.iter().enumerate() {
            match span.parent {
                Parent::Id(p) => match index.get(&p) {
                    Some(&pi) if pi != i => children[pi].push(i),
                    _ => roots.push(i),
                },
                Parent::None | Parent::Zero => roots.push(i),
            }
        }
        let labels: Vec<String> = trace.iter().map(|s| set.host_label(s)).collect();
        let mut shift = vec![0i64; trace.len()];
        let mut visited = vec![false; trace.len()];
        let mut stack: Vec<usize> = roots;
        while let Some(p) = stack.pop() {
            if std::mem::replace(&mut visited[p], true) {
                continue;
            }
            for &c in &children[p] {
                let cross_host = labels[c] != labels[p];
                let (parent, child) = (&trace[p], &trace[c]);
                let (ps, pe) = (
                    parent.start.saturating_add(shift[p]),
                    parent.end.saturating_add(shift[p]),
                );
                let outside = child.start < ps || child.end > pe;
                let delta = if cross_host {
                    jaeger_delta(ps, pe, child)
                } else {
                    0
                };
                shift[c] = if cross_host { delta } else { shift[p] };
                out.push(Link {
                    parent: range.start + p,
                    child: range.start + c,
                    cross_host,
                    outside,
                    delta,
                    starts_before: child.start < parent.start,
                });
                stack.push(c);
            }
        }
    }
    out
}

/// Jaeger's `calculateSkew`: 0 when the child fits; align starts when it cannot fit; otherwise
/// centre it, assuming the network latency is split evenly between request and response.
fn jaeger_delta(parent_start: i64, parent_end: i64, child: &Span) -> i64 {
    let parent_duration = parent_end.saturating_sub(parent_start);
    if child.duration() > parent_duration {
        return if child.start < parent_start {
            parent_start.saturating_sub(child.start)
        } else {
            0
        };
    }
    if child.start >= parent_start && child.end <= parent_end {
        return 0;
    }
    let latency = parent_duration.saturating_sub(child.duration()) / 2;
    parent_start
        .saturating_add(latency)
        .saturating_sub(child.start)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::trace::Strings;

    fn span(id: u64, parent: Parent, host: u32, start: i64, end: i64) -> Span {
        Span {
            trace_id: 1,
            span_id: id,
            parent,
            service: 0,
            name: 0,
            host,
            start,
            end,
        }
    }

    fn set(spans: Vec<Span>) -> TraceSet {
        let mut strings = Strings::default();
        strings.intern("host-a");
        strings.intern("host-b");
        TraceSet::new(spans, strings, vec![], 0)
    }

    #[test]
    fn a_child_on_another_host_is_centred_in_its_parent() {
        // parent 100..200 on host-a; child 40..60 on host-b: centred => 140, delta +100.
        let s = set(vec![
            span(1, Parent::None, 1, 100, 200),
            span(2, Parent::Id(1), 2, 40, 60),
        ]);
        let l = links(&s);
        assert_eq!(l.len(), 1);
        assert!(l[0].cross_host && l[0].outside && l[0].starts_before);
        assert_eq!(l[0].delta, 100);
    }

    #[test]
    fn a_longer_child_only_aligns_starts_and_a_fitting_child_is_not_moved() {
        let s = set(vec![
            span(1, Parent::None, 1, 100, 200),
            span(2, Parent::Id(1), 2, 90, 300),
        ]);
        assert_eq!(links(&s)[0].delta, 10);
        let s = set(vec![
            span(1, Parent::None, 1, 100, 200),
            span(2, Parent::Id(1), 2, 120, 150),
        ]);
        assert_eq!(links(&s)[0].delta, 0);
    }

    #[test]
    fn the_subtree_on_the_same_host_inherits_the_shift() {
        // child on host-b shifted +100; its grandchild back on host-a is compared with the
        // adjusted child (140..160) and fits: no second shift.
        let s = set(vec![
            span(1, Parent::None, 1, 100, 200),
            span(2, Parent::Id(1), 2, 40, 60),
            span(3, Parent::Id(2), 1, 145, 150),
        ]);
        let l = links(&s);
        let grandchild = l.iter().find(|l| l.child == 2).unwrap();
        assert!(grandchild.cross_host && !grandchild.outside);
        assert_eq!(grandchild.delta, 0);
    }
}
