/*
 * words.h - split a command line into words, as a very small shell would.
 *
 * Handout: handouts/05-pipes.md, section 2.1.
 */
#ifndef WORDS_H
#define WORDS_H

/*
 * Split line at blanks (spaces and tabs) into a NULL-terminated array of
 * words. There is no quoting and no globbing: "printf a\nb" gives the two
 * words "printf" and "a\nb". Returns the array (free it with free_words), or
 * NULL with errno set. A line of blanks gives an array holding only NULL.
 */
char **split_words(const char *line);

void free_words(char **words);

#endif
