//! Reading a manifest stream with few document trees held at once: a fleet's pod templates are
//! most of its text, and a document's tree is several times the size of its text.
//!
//! Documents that never say `containers` cannot hold a pod template. They are read first, on
//! every core: their ConfigMap and Secret data, their Services, and the few objects read again
//! later (the mesh's and the operator's) are kept, the trees dropped. Then the other documents
//! are parsed, on every core, each one's workloads read against the complete store and its tree
//! dropped unless the operator's webhook still needs it. Should one of them turn out to hold
//! what the pod templates resolve against (a ConfigMap or Secret that mentions `containers`, a
//! Namespace), the stream is read again with every document first, so the result never depends
//! on the order of reading.

use std::sync::Arc;

use super::documents::{self, Doc, Lines, Object};
use super::pod::{self, Found};
use super::store::{Keyed, Store};
use super::{Input, mesh, operator, service};
use crate::deploy::{Deployment, Problem, Service};

/// Kinds the pod templates are read against: a deferred document holding one is read too late.
const READ_FIRST: [&str; 3] = ["ConfigMap", "Secret", "Namespace"];

/// Reads every object of `inputs`; objects without a namespace are in `namespace`.
pub fn read(inputs: &[Input], namespace: &str) -> Deployment {
    let deferred =
        |doc: &Doc<'_>| memchr::memmem::find(doc.text.as_bytes(), b"containers").is_some();
    pass(inputs, namespace, deferred).unwrap_or_else(|| {
        // With nothing deferred nothing is read late: this pass always has a result.
        pass(inputs, namespace, |_| false).unwrap_or_default()
    })
}

/// One document and what it contributes, in document order.
struct Part<'a> {
    doc: Doc<'a>,
    /// Read after the store is complete.
    deferred: bool,
    /// What reading it gave; `None` while nothing (most documents of a long stream give
    /// nothing to keep once read).
    read: Option<Box<Read>>,
}

/// What one document gives.
#[derive(Default)]
struct Read {
    unreadable: Option<Problem>,
    /// Pod templates not yet read, and objects the mesh or the operator read later.
    objects: Vec<Object>,
    data: Vec<Keyed>,
    services: Vec<Service>,
    found: Found,
    /// A deferred document held an object of a [`READ_FIRST`] kind.
    late: bool,
}

impl Read {
    /// Kept only when it holds something.
    fn boxed(self) -> Option<Box<Read>> {
        let empty = self.unreadable.is_none()
            && self.objects.is_empty()
            && self.data.is_empty()
            && self.services.is_empty()
            && self.found.workloads.is_empty()
            && self.found.collectors.is_empty()
            && self.found.problems.is_empty()
            && !self.late;
        (!empty).then(|| Box::new(self))
    }
}

/// One reading of the stream with the documents `deferred` picks read last; `None` when one of
/// them holds an object the others are read against.
fn pass(
    inputs: &[Input],
    namespace: &str,
    deferred: impl Fn(&Doc<'_>) -> bool,
) -> Option<Deployment> {
    // One name per file, shared by every location in it.
    let names: Vec<Arc<str>> = inputs.iter().map(|i| Arc::from(i.name.as_str())).collect();
    let mut parts: Vec<Part<'_>> = inputs
        .iter()
        .zip(&names)
        .flat_map(|(input, name)| documents::split(name, &input.text))
        .map(|doc| Part {
            deferred: deferred(&doc),
            doc,
            read: None,
        })
        .collect();
    documents::each_on_cores(&mut parts, |part| {
        if !part.deferred {
            part.read = read_first(&part.doc, namespace).boxed();
        }
    });
    let mut store = Store::default();
    for read in parts.iter_mut().filter_map(|p| p.read.as_mut()) {
        for keyed in std::mem::take(&mut read.data) {
            store.insert(keyed);
        }
    }
    let first = parts.iter().filter_map(|p| p.read.as_ref());
    let injecting = operator::injecting_namespaces(first.flat_map(|r| &r.objects));
    documents::each_on_cores(&mut parts, |part| {
        let mut read = match part.read.take() {
            Some(read) => *read,
            None if part.deferred => parse(&part.doc, namespace),
            None => return,
        };
        for object in &read.objects {
            pod::read(object, ns(object, namespace), &store, &mut read.found);
        }
        read.objects.retain(|o| match pod::template(o) {
            Some(_) => operator::may_act(o, ns(o, namespace), &injecting),
            None => needed(o),
        });
        // What each document keeps is held until all are read: no room to spare.
        read.objects.shrink_to_fit();
        read.services.shrink_to_fit();
        read.found.workloads.shrink_to_fit();
        part.read = read.boxed();
    });
    let mut reads: Vec<Box<Read>> = parts.into_iter().filter_map(|p| p.read).collect();
    if reads.iter().any(|r| r.late) {
        return None;
    }
    let mut found = Found {
        workloads: Vec::with_capacity(reads.iter().map(|r| r.found.workloads.len()).sum()),
        problems: reads
            .iter_mut()
            .filter_map(|r| r.unreadable.take())
            .collect(),
        ..Found::default()
    };
    let (mut objects, mut services) = (Vec::new(), Vec::new());
    for read in reads {
        objects.extend(read.objects);
        services.extend(read.services);
        found.workloads.extend(read.found.workloads);
        found.collectors.extend(read.found.collectors);
        found.problems.extend(read.found.problems);
    }
    let mesh = mesh::read(&objects, namespace, &store, &mut found.problems);
    let mut d = Deployment {
        workloads: found.workloads,
        services,
        collectors: found.collectors,
        problems: found.problems,
        mesh,
        injections: Vec::new(),
    };
    operator::apply(&objects, inputs, namespace, &mut d);
    Some(d)
}

fn ns<'o>(object: &'o Object, namespace: &'o str) -> &'o str {
    object.namespace().unwrap_or(namespace)
}

/// Whether a later step reads `object` (other than as a pod template).
fn needed(object: &Object) -> bool {
    mesh::needs(object) || operator::needs(object)
}

/// A document read before the pod templates: its data, Services and the objects still needed.
fn read_first(doc: &Doc<'_>, namespace: &str) -> Read {
    let mut read = Read::default();
    let objects = match documents::parse(doc) {
        Ok(objects) => objects,
        Err(problem) => {
            read.unreadable = Some(problem);
            return read;
        }
    };
    let lines = Lines::of(doc);
    for object in objects {
        let ns = ns(&object, namespace);
        read.services.extend(service::read(&object, ns));
        read.data.extend(Keyed::of(&object, ns, &lines));
        if pod::template(&object).is_some() || needed(&object) {
            read.objects.push(object);
        }
    }
    read
}

/// A deferred document parsed: its Services and objects; marked late when it holds what the
/// pod templates are read against.
fn parse(doc: &Doc<'_>, namespace: &str) -> Read {
    let mut read = Read::default();
    match documents::parse(doc) {
        Ok(objects) => {
            for object in &objects {
                read.services
                    .extend(service::read(object, ns(object, namespace)));
                read.late |= READ_FIRST.contains(&object.kind());
            }
            read.objects = objects;
        }
        Err(problem) => read.unreadable = Some(problem),
    }
    read
}

#[cfg(test)]
mod tests {
    use super::*;

    fn input(name: &str, text: &str) -> Input {
        Input {
            name: name.to_string(),
            text: text.to_string(),
        }
    }

    /// Every document read first: what the deferred reading must equal.
    fn all_first(inputs: &[Input]) -> Deployment {
        pass(inputs, "default", |_| false).expect("nothing is deferred")
    }

    #[test]
    fn deferred_reading_equals_reading_every_document_first_on_every_fixture() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
        let dirs = ["k8s", "operator", "java"].map(|d| root.join(d));
        let fixtures = crate::deploy::files::gather(&dirs).expect("the fixtures");
        let mut deferred = 0;
        for fixture in fixtures.iter().filter(|f| f.text.contains("apiVersion")) {
            deferred += usize::from(fixture.text.contains("containers"));
            let inputs = std::slice::from_ref(fixture);
            assert_eq!(
                read(inputs, "default"),
                all_first(inputs),
                "{}",
                fixture.name
            );
        }
        assert!(
            deferred >= 20,
            "only {deferred} fixtures with pod templates"
        );
    }

    const DEPLOYMENT: &str = "apiVersion: apps/v1
kind: Deployment
metadata:
  name: app
spec:
  template:
    metadata:
      labels:
        app: app
    spec:
      containers:
        - name: app
          image: app:1
          envFrom:
            - configMapRef:
                name: otel
";

    #[test]
    fn a_configmap_that_mentions_containers_is_still_read_before_the_pods() {
        let config = "apiVersion: v1
kind: ConfigMap
metadata:
  name: otel
data:
  NOTE: runs next to the app containers
  OTEL_EXPORTER_OTLP_ENDPOINT: http://collector:4318
";
        for text in [
            format!("{DEPLOYMENT}---\n{config}"),
            format!("{config}---\n{DEPLOYMENT}"),
        ] {
            let inputs = [input("m.yaml", &text)];
            let d = read(&inputs, "default");
            assert_eq!(d, all_first(&inputs));
            let app = &d.workloads[0];
            let endpoint = app
                .var("OTEL_EXPORTER_OTLP_ENDPOINT")
                .expect("from the ConfigMap");
            assert_eq!(
                endpoint.source.line,
                if text.starts_with("apiVersion: apps") {
                    24
                } else {
                    7
                }
            );
            assert!(d.problems.is_empty(), "{:?}", d.problems);
        }
    }

    #[test]
    fn a_namespace_asking_for_injection_keeps_its_pod_templates_for_the_webhook() {
        let text = format!(
            "apiVersion: v1
kind: Namespace
metadata:
  name: default
  annotations:
    instrumentation.opentelemetry.io/inject-java: \"true\"
---
apiVersion: opentelemetry.io/v1alpha1
kind: Instrumentation
metadata:
  name: java
spec:
  exporter:
    endpoint: http://collector:4318
---
{DEPLOYMENT}---
apiVersion: v1
kind: ConfigMap
metadata:
  name: otel
data:
  OTEL_SERVICE_NAME: app
"
        );
        let inputs = [input("m.yaml", &text)];
        let d = read(&inputs, "default");
        assert_eq!(d, all_first(&inputs));
        assert!(d.workloads[0].injected.is_some(), "{:?}", d.workloads[0]);
    }

    #[test]
    fn syntax_errors_come_first_in_document_order_whichever_reading_finds_them() {
        let text = format!("{DEPLOYMENT}---\ncontainers: [\n---\nkind: [\n---\n{DEPLOYMENT}");
        let inputs = [input("m.yaml", &text)];
        let d = read(&inputs, "default");
        assert_eq!(d, all_first(&inputs));
        let lines: Vec<u32> = d.problems.iter().take(2).map(|p| p.location.line).collect();
        assert!(lines[0] < lines[1], "{:?}", d.problems);
        assert_eq!(d.workloads.len(), 2);
    }
}
