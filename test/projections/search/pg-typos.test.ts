import t from 'tap';
import { buildDictionary, editDistance } from '../../../src/projections/search/pg-dictionary.js';
import { allowedEdits, correct, indexedPlans, planWords, tsqueryText } from '../../../src/projections/search/pg-typos.js';
import { queryWords } from '../../../src/projections/search/port.js';

t.test('edit distance counts a swap of neighbouring letters as one edit', async (t) => {
  t.equal(editDistance('swfit', 'swift'), 1);
  t.equal(editDistance('coldpaly', 'coldplay'), 1);
  t.equal(editDistance('tayler', 'taylor'), 1);
  t.equal(editDistance('hamletv', 'hamlet'), 1);
  t.equal(editDistance('', 'abc'), 3);
  t.equal(editDistance('kitten', 'sitting'), 3);
  t.equal(editDistance('beyoncé', 'beyoncé'), 0);
});

t.test('short words get no typo, longer words one or two', async (t) => {
  t.same(['the', 'jazz', 'hamlet', 'coldplay'].map(allowedEdits), [0, 1, 1, 2]);
});

t.test('a word in the dictionary stands for itself; otherwise the closest, most frequent words do', async (t) => {
  const c = (word: string, frequency = 1) => ({ word, frequency });
  t.same(correct('swift', [c('swift'), c('swifts')]), ['swift']);
  t.same(correct('swfit', [c('swift', 3), c('swing', 50)]), ['swift']);
  t.same(correct('coldpaly', [c('coldplay'), c('cold', 99)]), ['coldplay']);
  t.same(correct('gren', [c('green', 2), c('grey', 9), c('gran', 9)]), ['gran', 'grey'], 'ties on distance go by frequency');
  t.same(correct('xqzvvk', [c('xylophone')]), [], 'nothing close enough');
  t.same(correct('tha', [c('the', 100)]), [], 'three letters must be exact');
});

t.test('query words are lower-cased, unaccented and split on punctuation', async (t) => {
  t.same(queryWords("Beyoncé & JAY-Z's  tour!"), ['beyonce', 'jay', 'z', 's', 'tour']);
  t.same(queryWords('Motörhead Ørsted Straße Łódź'), ['motorhead', 'orsted', 'strasse', 'lodz']);
  t.same(queryWords(" '; -- !!! "), []);
  t.same(queryWords(undefined), []);
  t.equal(queryWords('a b c d e f g h i j k').length, 8, 'at most eight words');
});

t.test('the tsquery ANDs words, ORs alternatives and drops words with none', async (t) => {
  t.equal(
    tsqueryText([
      { word: 'tayler', alternatives: ['taylor'], prefix: false },
      { word: 'xqz', alternatives: [], prefix: false },
      { word: 'sw', alternatives: [], prefix: true },
    ]),
    "'taylor' & 'sw':*",
  );
  t.equal(tsqueryText([{ word: 'gren', alternatives: ['gran', 'grey'], prefix: false }]), "('gran' | 'grey')");
  t.equal(tsqueryText([{ word: 'xqz', alternatives: [], prefix: false }]), undefined);
});

const words = {
  swift: 40,
  swifts: 3,
  swing: 50,
  coldplay: 12,
  cold: 99,
  flamingo: 4,
  flamingos: 9,
  the: 900,
  taylor: 30,
  tailor: 2,
  beyonce: 7,
};
const dictionary = buildDictionary('7', Object.keys(words), Object.values(words));

t.test('the dictionary finds every word within the allowed edits, and none further', async (t) => {
  const near = (word: string, edits: number) =>
    dictionary
      .near(word, edits)
      .map((c) => `${c.word}:${c.distance}`)
      .sort();
  t.same(near('swfit', 1), ['swift:1'], 'a swap is one edit');
  t.same(near('swfits', 2), ['swift:2', 'swifts:1']);
  t.same(near('flamigo', 2), ['flamingo:1', 'flamingos:2']);
  t.same(near('coldpaly', 2), ['coldplay:1']);
  t.same(near('xqzvvk', 2), []);
  t.equal(dictionary.frequency('swing'), 50);
  t.equal(dictionary.frequency('swin'), undefined);
  t.equal(dictionary.version, '7');
  t.equal(dictionary.size, 11);
});

t.test('the bounded distance agrees with the full one on every pair it keeps', async (t) => {
  const all = ['ab', 'ba', 'abc', 'acb', 'bca', 'abcd', 'badc', 'dcba', 'aabb', 'abab', 'zürich', 'zurich', 'łódź', 'lodz', '𝄞abc', 'abc𝄞'];
  const d = buildDictionary(
    '1',
    all,
    all.map(() => 1),
  );
  for (const a of all) {
    for (const edits of [1, 2]) {
      const expected = all
        .filter((b) => editDistance(a, b) <= edits && Math.abs(Array.from(a).length - Array.from(b).length) <= edits)
        .sort();
      t.same(
        d
          .near(a, edits)
          .map((c) => c.word)
          .sort(),
        expected,
        `${a} within ${edits}`,
      );
    }
  }
});

t.test('a prefix is a word that starts a longer indexed word', async (t) => {
  t.ok(dictionary.hasPrefix('sw'));
  t.ok(dictionary.hasPrefix('swift'), 'swift starts swifts');
  t.notOk(dictionary.hasPrefix('swifts'), 'nothing longer starts with swifts');
  t.notOk(dictionary.hasPrefix('zz'));
  t.notOk(buildDictionary('1', [], []).hasPrefix('a'));
});

t.test('word plans: exact words stand, typos are corrected, the last word may be a prefix', async (t) => {
  t.same(planWords(dictionary, ['tayler', 'swift']), [
    { word: 'tayler', alternatives: ['taylor'], prefix: false, frequency: 30 },
    { word: 'swift', alternatives: ['swift'], prefix: true, frequency: 40 },
  ]);
  t.same(planWords(dictionary, ['flam']), [{ word: 'flam', alternatives: [], prefix: true, frequency: 0 }], 'still being typed');
  t.same(
    planWords(dictionary, ['flam', 'the'])[0],
    { word: 'flam', alternatives: [], prefix: false, frequency: 0 },
    'not last: no prefix, no word in reach',
  );
  t.same(
    planWords(dictionary, ['tha'], 0),
    [{ word: 'tha', alternatives: [], prefix: false, frequency: 0 }],
    'three letters must be exact',
  );
  t.same(planWords(dictionary, ['beyonce'], 0)[0]?.alternatives, ['beyonce']);
});

t.test('a common word is left to the row check only beside a word rare enough that the check reads fewer pages', async (t) => {
  const plan = (word: string, frequency: number) => ({ word, alternatives: [word], prefix: false, frequency });
  const words = (plans: { word: string }[]) => plans.map((p) => p.word);
  t.same(words(indexedPlans([plan('pouros', 2_900), plan('theatre', 160_000), plan('company', 244_000)])), [
    'pouros',
    'theatre',
    'company',
  ]);
  t.same(words(indexedPlans([plan('quokka', 12), plan('company', 244_000)])), ['quokka'], 'twelve rows to check, not 244 pages');
  t.same(words(indexedPlans([plan('the', 400_000), plan('company', 244_000)])), ['the', 'company'], 'nothing rarer to check them on');
  t.same(words(indexedPlans([plan('jazz', 40_000), plan('quokka', 12)])), ['jazz', 'quokka'], 'not common: always looked up');
  t.same(
    words(indexedPlans([{ word: 'comp', alternatives: [], prefix: true, frequency: 0 }, plan('quokka', 12)])),
    ['comp', 'quokka'],
    'a prefix is always looked up',
  );
});
