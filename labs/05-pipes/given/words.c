/*
 * words.c - split a command line into words at blanks.
 *
 * Handout: handouts/05-pipes.md, section 2.1.
 */
#include "words.h"

#include <stdlib.h>
#include <string.h>

static int is_blank(char c)
{
    return c == ' ' || c == '\t';
}

char **split_words(const char *line)
{
    size_t count = 0;
    char **words;

    for (const char *p = line; *p != '\0'; p++)
        if (!is_blank(*p) && (p == line || is_blank(p[-1])))
            count++;
    words = calloc(count + 1, sizeof *words);
    if (words == NULL)
        return NULL;

    size_t n = 0;
    const char *p = line;
    while (n < count) {
        while (is_blank(*p))
            p++;
        size_t length = 0;
        while (p[length] != '\0' && !is_blank(p[length]))
            length++;
        words[n] = strndup(p, length);
        if (words[n] == NULL) {
            free_words(words);
            return NULL;
        }
        n++;
        p += length;
    }
    return words;
}

void free_words(char **words)
{
    if (words == NULL)
        return;
    for (char **word = words; *word != NULL; word++)
        free(*word);
    free(words);
}
