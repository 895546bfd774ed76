// Message kinds are told apart without colour: a reply wears its request's label and colour family, as a tag.
import { describe, expect, it } from 'vitest';
import { messageGlyph, messageText } from '../../src/ui/render/messageGlyph.ts';

describe('message glyphs', () => {
  it('a reply shares its request label and family, and is drawn as a reply', () => {
    for (const type of ['MsgPreVote', 'MsgVote', 'MsgApp', 'MsgHeartbeat', 'MsgReadIndex']) {
      const request = messageGlyph(type);
      const reply = messageGlyph(`${type}Resp`);
      expect(reply).toMatchObject({ label: request.label, family: request.family, reply: true });
      expect(request.reply).toBe(false);
    }
    expect(messageGlyph('MsgVoteResp').name).toBe('RequestVote reply');
    expect(messageGlyph('MsgPreVote').name).toBe('PreVote request');
  });

  it('labels appends with their entry count and replies with their verdict; unknown kinds get a short label', () => {
    expect(messageText('MsgApp', 3, null)).toBe('AE+3');
    expect(messageText('MsgAppResp', 0, true)).toBe('AE✗');
    expect(messageText('MsgVoteResp', 0, false)).toBe('RV✓');
    expect(messageGlyph('MsgSnapshot')).toEqual({ label: 'Sna', name: 'MsgSnapshot', family: 'client', reply: false });
  });
});
