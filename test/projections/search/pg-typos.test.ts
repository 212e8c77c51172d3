import t from 'tap';
import { allowedEdits, correct, editDistance, tsqueryText } from '../../../src/projections/search/pg-typos.js';
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
  const c = (word: string, frequency = 1, similarity = 0.5) => ({ word, frequency, similarity });
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
