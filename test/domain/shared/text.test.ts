import t from 'tap';
import { performerId } from '../../../src/domain/shared/index.js';

t.test('a performer id is a lowercase slug of the name', async (t) => {
  t.equal(performerId('Aurora'), 'aurora');
  t.equal(performerId('Taylor Swift'), 'taylor-swift');
  t.equal(performerId('  AC/DC!  '), 'ac-dc');
});

t.test('diacritics are folded so spellings meet', async (t) => {
  t.equal(performerId('Beyoncé & Jay-Z'), 'beyonce-jay-z');
  t.equal(performerId('Sigur Rós'), 'sigur-ros');
  t.equal(performerId('Motörhead'), 'motorhead');
  t.equal(performerId('Røyksopp'), 'royksopp');
  t.equal(performerId('Die Ärzte'), 'die-arzte');
  t.equal(performerId('Straße'), 'strasse');
});

t.test('names in other scripts keep their letters', async (t) => {
  t.equal(performerId('坂本龍一'), '坂本龍一');
  t.equal(performerId('Кино'), 'кино');
});

t.test('the same name always gives the same id', async (t) => {
  t.equal(performerId('The  Beatles'), performerId('the beatles'));
});
