import { hashKey } from '../shared/index.js';

/**
 * Unreleased standing holds of one section ordered by expiry, with subtree sums,
 * so `lapsedQuantity(tree, now)` (places whose hold lapsed but has not been
 * released by an event yet) is O(log n). Expiry is lazy and exact: decide
 * subtracts these from the held count without waiting for the sweeper.
 * A persistent treap; priorities are a hash of the booking id (no randomness).
 */
type TreeNode = {
  readonly at: number;
  readonly id: string;
  readonly quantity: number;
  readonly priority: number;
  readonly left: TreeNode | undefined;
  readonly right: TreeNode | undefined;
  readonly sum: number;
};

export type ExpiryTree = TreeNode | undefined;

const node = (n: TreeNode, left: TreeNode | undefined, right: TreeNode | undefined): TreeNode => ({
  at: n.at,
  id: n.id,
  quantity: n.quantity,
  priority: n.priority,
  left,
  right,
  sum: (left?.sum ?? 0) + n.quantity + (right?.sum ?? 0),
});

const compare = (at: number, id: string, n: TreeNode): number => {
  if (at !== n.at) return at < n.at ? -1 : 1;
  return id < n.id ? -1 : id > n.id ? 1 : 0;
};

/** [keys < (at,id), keys >= (at,id)] */
const split = (t: ExpiryTree, at: number, id: string): [ExpiryTree, ExpiryTree] => {
  if (t === undefined) return [undefined, undefined];
  if (compare(at, id, t) > 0) {
    const [l, r] = split(t.right, at, id);
    return [node(t, t.left, l), r];
  }
  const [l, r] = split(t.left, at, id);
  return [l, node(t, r, t.right)];
};

const join = (a: ExpiryTree, b: ExpiryTree): ExpiryTree => {
  if (a === undefined) return b;
  if (b === undefined) return a;
  return a.priority > b.priority ? node(a, a.left, join(a.right, b)) : node(b, join(a, b.left), b.right);
};

export const removeExpiry = (t: ExpiryTree, at: number, id: string): ExpiryTree => {
  if (t === undefined) return t;
  const c = compare(at, id, t);
  if (c === 0) return join(t.left, t.right);
  if (c < 0) {
    const left = removeExpiry(t.left, at, id);
    return left === t.left ? t : node(t, left, t.right);
  }
  const right = removeExpiry(t.right, at, id);
  return right === t.right ? t : node(t, t.left, right);
};

export const addExpiry = (t: ExpiryTree, at: number, id: string, quantity: number): ExpiryTree => {
  const [l, r] = split(removeExpiry(t, at, id), at, id);
  const single: TreeNode = { at, id, quantity, priority: hashKey(id), left: undefined, right: undefined, sum: quantity };
  return join(join(l, single), r);
};

/** Total quantity of entries with expiry <= nowMs. */
export const lapsedQuantity = (t: ExpiryTree, nowMs: number): number => {
  let sum = 0;
  let n = t;
  while (n !== undefined) {
    if (n.at <= nowMs) {
      sum += (n.left?.sum ?? 0) + n.quantity;
      n = n.right;
    } else {
      n = n.left;
    }
  }
  return sum;
};

export const totalQuantity = (t: ExpiryTree): number => t?.sum ?? 0;

/** Entries in (at, id) order; the waitlist keeps its waiting entries in a tree keyed by joining order. */
export function* inOrder(t: ExpiryTree): Generator<{ readonly at: number; readonly id: string; readonly quantity: number }> {
  if (t === undefined) return;
  yield* inOrder(t.left);
  yield { at: t.at, id: t.id, quantity: t.quantity };
  yield* inOrder(t.right);
}
