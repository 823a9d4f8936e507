//! One fingerprint per endpoint per run, shared by every check: the first caller probes, the
//! others wait for its result.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use tokio::sync::OnceCell;

use super::Deadline;
use super::fingerprint::{self, Fingerprint, Target, UdpFingerprint, UdpTarget};

/// Shows that a probe is running (a spinner on a terminal); the returned guard ends it on drop.
pub trait Progress: Send + Sync {
    fn start(&self, label: String) -> ProgressItem;
}

/// Dropped when the probe it stands for ends.
pub type ProgressItem = Box<dyn Send>;

type Cells<K, V> = Mutex<HashMap<K, Arc<OnceCell<Arc<V>>>>>;

/// The run's probe results, keyed by endpoint.
#[derive(Default)]
pub struct Cache {
    tcp: Cells<Target, Fingerprint>,
    udp: Cells<UdpTarget, UdpFingerprint>,
    progress: Option<Arc<dyn Progress>>,
}

impl Cache {
    pub fn with_progress(progress: Arc<dyn Progress>) -> Cache {
        Cache {
            progress: Some(progress),
            ..Cache::default()
        }
    }

    /// The fingerprint of `target`, probed once per run.
    pub async fn tcp(&self, target: &Target, deadline: Deadline) -> Arc<Fingerprint> {
        let cell = cell(&self.tcp, target);
        cell.get_or_init(|| async {
            let _shown = self
                .progress
                .as_ref()
                .map(|p| p.start(format!("probing {}", target.authority())));
            Arc::new(fingerprint::probe(target, deadline).await)
        })
        .await
        .clone()
    }

    /// The UDP probe of `target`, sent once per run.
    pub async fn udp(&self, target: &UdpTarget, deadline: Deadline) -> Arc<UdpFingerprint> {
        let cell = cell(&self.udp, target);
        cell.get_or_init(|| async {
            let _shown = self
                .progress
                .as_ref()
                .map(|p| p.start(format!("probing {}:{}/udp", target.host, target.port)));
            Arc::new(fingerprint::probe_udp(target, deadline).await)
        })
        .await
        .clone()
    }

    /// Every TCP fingerprint completed so far, ordered by host then port.
    pub fn tcp_done(&self) -> Vec<Arc<Fingerprint>> {
        let mut done = done(&self.tcp);
        done.sort_by(|a, b| (&a.target.host, a.target.port).cmp(&(&b.target.host, b.target.port)));
        done
    }

    /// Every UDP probe completed so far, ordered by host then port.
    pub fn udp_done(&self) -> Vec<Arc<UdpFingerprint>> {
        let mut done = done(&self.udp);
        done.sort_by(|a, b| (&a.target.host, a.target.port).cmp(&(&b.target.host, b.target.port)));
        done
    }
}

fn cell<K: Clone + Eq + std::hash::Hash, V>(cells: &Cells<K, V>, key: &K) -> Arc<OnceCell<Arc<V>>> {
    let mut map = cells
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner());
    Arc::clone(map.entry(key.clone()).or_default())
}

fn done<K, V>(cells: &Cells<K, V>) -> Vec<Arc<V>> {
    let map = cells
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner());
    map.values().filter_map(|c| c.get().cloned()).collect()
}

#[cfg(test)]
mod tests {
    use std::sync::atomic::{AtomicUsize, Ordering};
    use std::time::Duration;

    use super::*;

    struct Count(AtomicUsize);

    impl Progress for Count {
        fn start(&self, _label: String) -> ProgressItem {
            self.0.fetch_add(1, Ordering::SeqCst);
            Box::new(())
        }
    }

    #[tokio::test]
    async fn two_callers_probe_once() {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let port = listener.local_addr().unwrap().port();
        drop(listener);
        let count = Arc::new(Count(AtomicUsize::new(0)));
        let cache = Cache::with_progress(count.clone());
        let target = Target::new("127.0.0.1", port);
        let deadline = Deadline::now() + Duration::from_secs(2);
        let (a, b) = tokio::join!(cache.tcp(&target, deadline), cache.tcp(&target, deadline));
        assert!(Arc::ptr_eq(&a, &b));
        assert_eq!(count.0.load(Ordering::SeqCst), 1);
        assert_eq!(cache.tcp_done().len(), 1);
        assert!(a.summary().contains("refused"));
    }
}
