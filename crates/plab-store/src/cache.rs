//! Reads served from memory for as long as the data behind them is unchanged.
//!
//! Every change to the data these reads depend on moves one number forward,
//! the data revision (migration 0016: triggers, so a change made by another
//! process or instance counts too). A signed-in request learns the revision in
//! the same query that checks its token, and passes it to the reads that take
//! one: an entry is kept for one revision only, and a newer revision empties
//! the cache. A caller that passes no revision (a request that changes data,
//! the CLI) always reads the database.
use crate::pairing::ListedPair;
use plab_domain::program::Role;
use std::any::Any;
use std::collections::HashMap;
use std::future::Future;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::time::{Duration, Instant};

/// A point in the data's history, as a request read it with its sign-in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Revision(pub(crate) i64);

/// Above this many remembered (program, person) role lookups, they start over.
const MAX_ROLE_ENTRIES: usize = 100_000;

#[derive(Debug, Default)]
pub(crate) struct Cache {
    inner: Mutex<Entries>,
    /// One builder at a time per remembered value: the requests that miss
    /// together wait for the first one's value instead of each building it.
    builders: Mutex<HashMap<Key, Arc<tokio::sync::Mutex<()>>>>,
}

/// What a remembered value is kept under: its kind and, say, the program.
type Key = (&'static str, i64);
type Remembered = (Instant, Arc<dyn Any + Send + Sync>);

#[derive(Debug, Default)]
struct Entries {
    revision: i64,
    roles: HashMap<(i64, String), Vec<Role>>,
    pairs: HashMap<i64, Arc<[ListedPair]>>,
    remembered: HashMap<Key, Remembered>,
}

impl Cache {
    /// The entries of revision `at`, forgetting those of older revisions;
    /// `None` when the cache already holds a newer one than `at`.
    fn at(&self, at: Revision) -> Option<MutexGuard<'_, Entries>> {
        let mut entries = self.inner.lock().unwrap_or_else(PoisonError::into_inner);
        if at.0 > entries.revision {
            *entries = Entries { revision: at.0, ..Entries::default() };
        }
        (at.0 == entries.revision).then_some(entries)
    }

    pub(crate) fn roles(&self, at: Revision, program: i64, person: &str) -> Option<Vec<Role>> {
        self.at(at)?.roles.get(&(program, person.to_owned())).cloned()
    }

    pub(crate) fn keep_roles(&self, at: Revision, program: i64, person: &str, roles: &[Role]) {
        if let Some(mut entries) = self.at(at) {
            if entries.roles.len() >= MAX_ROLE_ENTRIES {
                entries.roles.clear();
            }
            entries.roles.insert((program, person.to_owned()), roles.to_vec());
        }
    }

    pub(crate) fn pairs(&self, at: Revision, program: i64) -> Option<Arc<[ListedPair]>> {
        self.at(at)?.pairs.get(&program).cloned()
    }

    pub(crate) fn keep_pairs(&self, at: Revision, program: i64, pairs: Arc<[ListedPair]>) {
        if let Some(mut entries) = self.at(at) {
            entries.pairs.insert(program, pairs);
        }
    }

    /// A value `build` made for `(kind, key)` at revision `at` less than
    /// `fresh_for` ago, or a new one from `build`. Without a revision, always
    /// a new one, kept nowhere.
    pub(crate) async fn remember<T, E>(
        &self,
        at: Option<Revision>,
        kind: &'static str,
        key: i64,
        fresh_for: Duration,
        build: impl Future<Output = Result<T, E>>,
    ) -> Result<Arc<T>, E>
    where
        T: Send + Sync + 'static,
    {
        let Some(at) = at else { return build.await.map(Arc::new) };
        let kept = || {
            let entries = self.at(at)?;
            let (made, value) = entries.remembered.get(&(kind, key))?;
            (made.elapsed() < fresh_for).then(|| Arc::clone(value)).and_then(|v| v.downcast::<T>().ok())
        };
        if let Some(value) = kept() {
            return Ok(value);
        }
        let builder =
            Arc::clone(self.builders.lock().unwrap_or_else(PoisonError::into_inner).entry((kind, key)).or_default());
        let _turn = builder.lock().await;
        if let Some(value) = kept() {
            return Ok(value);
        }
        let made = Instant::now();
        let value = Arc::new(build.await?);
        if let Some(mut entries) = self.at(at) {
            entries.remembered.insert((kind, key), (made, Arc::clone(&value) as Arc<dyn Any + Send + Sync>));
        }
        Ok(value)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_newer_revision_forgets_every_entry_and_an_older_one_is_never_served_or_kept() {
        let cache = Cache::default();
        cache.keep_roles(Revision(5), 1, "E1", &[Role::Sponsor]);
        assert_eq!(cache.roles(Revision(5), 1, "E1"), Some(vec![Role::Sponsor]));
        assert_eq!(cache.roles(Revision(4), 1, "E1"), None, "an older revision reads the database");
        cache.keep_roles(Revision(4), 1, "E2", &[Role::Leader]);
        assert_eq!(cache.roles(Revision(5), 1, "E2"), None, "nothing read at an older revision is kept");
        assert_eq!(cache.roles(Revision(6), 1, "E1"), None, "a newer revision starts empty");
        assert_eq!(cache.roles(Revision(5), 1, "E1"), None);
    }

    #[tokio::test]
    async fn a_remembered_value_is_rebuilt_once_it_is_older_than_its_freshness() {
        let cache = Cache::default();
        let build = |n: u32| async move { Ok::<_, ()>(n) };
        let at = Some(Revision(1));
        assert_eq!(*cache.remember(at, "k", 1, Duration::from_secs(60), build(1)).await.expect("built"), 1);
        assert_eq!(*cache.remember(at, "k", 1, Duration::from_secs(60), build(2)).await.expect("kept"), 1);
        assert_eq!(*cache.remember(at, "k", 2, Duration::from_secs(60), build(3)).await.expect("other key"), 3);
        assert_eq!(*cache.remember(at, "k", 1, Duration::ZERO, build(4)).await.expect("stale"), 4);
        assert_eq!(*cache.remember(None, "k", 1, Duration::from_secs(60), build(5)).await.expect("no revision"), 5);
        assert_eq!(
            *cache.remember(Some(Revision(2)), "k", 1, Duration::from_secs(60), build(6)).await.expect("newer"),
            6
        );
    }

    #[tokio::test]
    async fn requests_that_miss_together_wait_for_one_build() {
        let cache = Cache::default();
        let builds = std::sync::atomic::AtomicU32::new(0);
        let build = || async {
            builds.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
            tokio::task::yield_now().await;
            Ok::<_, ()>(7)
        };
        let at = Some(Revision(3));
        let fresh = Duration::from_secs(60);
        let (a, b) =
            tokio::join!(cache.remember(at, "k", 1, fresh, build()), cache.remember(at, "k", 1, fresh, build()));
        assert_eq!((*a.expect("a"), *b.expect("b")), (7, 7));
        assert_eq!(builds.load(std::sync::atomic::Ordering::SeqCst), 1);
    }
}
