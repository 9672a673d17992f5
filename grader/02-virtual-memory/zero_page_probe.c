/*
 * zero_page_probe.c - print "yes" when this kernel maps the shared zero page
 * for a read of untouched private anonymous memory, "no" when it does not
 * (zero_page.h). Lab 02's Bats tests ask it before they check the zero page.
 */
#include "zero_page.h"

#include <stdio.h>

int main(void)
{
    puts(kernel_maps_the_zero_page() ? "yes" : "no");
    return 0;
}
