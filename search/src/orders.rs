//! The catalog's orders, kept sorted as programs come and go.

use std::cmp::Reverse;

use navigator_shared::catalog::{Sort, rating_rank};

use crate::catalog::Entry;

/// An order that does not depend on a text query.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Order {
    /// `published_at` desc.
    Newest,
    /// The rating's Bayesian rank desc ([`navigator_shared::catalog::rating_rank`]), unrated last.
    Rating,
    /// `applications_count` desc.
    Popularity,
}

impl Order {
    const ALL: [Order; 3] = [Order::Newest, Order::Rating, Order::Popularity];

    /// The order of a sort when no text score applies (relevance is newest then).
    pub(crate) fn of(sort: Sort) -> Order {
        match sort {
            Sort::Rating => Order::Rating,
            Sort::Popularity => Order::Popularity,
            Sort::Relevance | Sort::Newest => Order::Newest,
        }
    }

    /// The value sorted by, descending: higher first.
    fn primary(self, entry: &Entry) -> i64 {
        match self {
            Order::Newest => entry.published_at.and_utc().timestamp_micros(),
            Order::Rating => {
                rating_rank(entry.summary.rating, entry.summary.reviews_count).map_or(i64::MIN, ordered_bits)
            }
            Order::Popularity => entry.summary.applications_count,
        }
    }

    /// The entry's place: by [`Order::primary`] desc, then id desc.
    fn key(self, entry: &Entry) -> Key {
        (Reverse(self.primary(entry)), Reverse(entry.summary.id))
    }
}

/// A float as an integer of the same order (for finite values and ±0).
fn ordered_bits(value: f64) -> i64 {
    let bits = value.to_bits() as i64;
    bits ^ ((((bits >> 63) as u64) >> 1) as i64)
}

type Key = (Reverse<i64>, Reverse<i64>);

/// Slots in one order with their keys.
#[derive(Debug, Default)]
struct Sorted {
    items: Vec<(Key, u32)>,
}

impl Sorted {
    fn insert(&mut self, key: Key, slot: u32) {
        let item = (key, slot);
        if let Err(at) = self.items.binary_search(&item) {
            self.items.insert(at, item);
        }
    }

    fn remove(&mut self, key: Key, slot: u32) {
        if let Ok(at) = self.items.binary_search(&(key, slot)) {
            self.items.remove(at);
        }
    }
}

/// Every [`Order`] of the catalog's slots.
#[derive(Debug, Default)]
pub(crate) struct Orders {
    sorted: [Sorted; 3],
}

impl Orders {
    /// Sorts all the given slots at once.
    pub(crate) fn build<'a>(entries: impl Iterator<Item = (u32, &'a Entry)> + Clone) -> Orders {
        let mut orders = Orders::default();
        for (order, sorted) in Order::ALL.into_iter().zip(&mut orders.sorted) {
            sorted.items = entries.clone().map(|(slot, entry)| (order.key(entry), slot)).collect();
            sorted.items.sort_unstable();
        }
        orders
    }

    pub(crate) fn insert(&mut self, slot: u32, entry: &Entry) {
        for (order, sorted) in Order::ALL.into_iter().zip(&mut self.sorted) {
            sorted.insert(order.key(entry), slot);
        }
    }

    /// Removes a slot; `entry` is what it was inserted with.
    pub(crate) fn remove(&mut self, slot: u32, entry: &Entry) {
        for (order, sorted) in Order::ALL.into_iter().zip(&mut self.sorted) {
            sorted.remove(order.key(entry), slot);
        }
    }

    /// The slots in an order, first to last.
    pub(crate) fn slots(&self, order: Order) -> impl Iterator<Item = u32> + '_ {
        let index = Order::ALL.iter().position(|o| *o == order).unwrap_or_default();
        self.sorted[index].items.iter().map(|(_, slot)| *slot)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn float_order_is_kept() {
        let values = [-2.5, -0.0, 0.0, 1.0, 4.5, 5.0];
        let bits: Vec<i64> = values.iter().map(|v| ordered_bits(*v)).collect();
        assert!(bits.windows(2).all(|w| w[0] <= w[1]));
    }
}
