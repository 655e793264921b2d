// The reference consumer of the chat-stream figure, the same code in Node and in the browser page: a
// fetch response read with eventsource-parser, each event's data given to JSON.parse.
export async function readWithEventsourceParser(createParser, response) {
  let chunks = 0, chars = 0;
  const parser = createParser({
    onEvent(event) {
      if (event.data === '[DONE]') return;
      const chunk = JSON.parse(event.data);
      chunks += 1;
      chars += chunk.choices[0]?.delta?.content?.length ?? 0;
    },
  });
  const reader = response.body.getReader();
  const decoder = new TextDecoder();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    parser.feed(decoder.decode(value, { stream: true }));
  }
  return { chunks, chars };
}
