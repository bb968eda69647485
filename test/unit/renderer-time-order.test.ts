import { describe, expect, it } from 'vitest';
import { upsertInTimeOrder } from '../../renderer/features/messages/time-order';

const m = (id: string, createdAt: number, text = id) => ({ id, createdAt, text });

describe('messages kept oldest first as they arrive', () => {
  it('puts a message of the same second after the ones already there, whatever the ids', () => {
    let list = [m('ffff', 100)];
    list = upsertInTimeOrder(list, m('0000', 100));
    list = upsertInTimeOrder(list, m('8888', 100));
    expect(list.map((x) => x.id)).toEqual(['ffff', '0000', '8888']);
  });

  it('puts an older message before newer ones, and a newer one last', () => {
    let list = [m('b', 200), m('c', 300)];
    list = upsertInTimeOrder(list, m('a', 100));
    list = upsertInTimeOrder(list, m('d', 400));
    list = upsertInTimeOrder(list, m('bb', 200));
    expect(list.map((x) => x.id)).toEqual(['a', 'b', 'bb', 'c', 'd']);
  });

  it('replaces an updated message where it stands', () => {
    const list = [m('x', 100), m('y', 100), m('z', 100)];
    const next = upsertInTimeOrder(list, m('x', 100, 'delivered'));
    expect(next.map((x) => `${x.id}:${x.text}`)).toEqual(['x:delivered', 'y:y', 'z:z']);
    expect(list[0]?.text).toBe('x');
  });

  it('keeps the order of a page loaded from the store (time, then arrival)', () => {
    const page = [m('9', 100), m('1', 100), m('5', 101)];
    expect(page.reduce(upsertInTimeOrder, [m('0', 99)]).map((x) => x.id)).toEqual(['0', '9', '1', '5']);
  });
});
