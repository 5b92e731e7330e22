#!/usr/bin/perl
# classify.pl - how the bounce classifiers that mail operators use read a DSN.
#
# Usage: classify.pl FILE [FILE...]
# Prints one JSON object per file: {"file":..., "sisimai":[{recipient, reason, status, action,
# softbounce, diagnostic, agent}], "bounceparser":[{email, std_reason, status, action}]}.
# Sisimai's agent names the module that recognised the bounce (ReceivingSES for SES's own, RFC3464
# for a DSN it has no module for).
# Sisimai 4.25 (libsisimai-perl) and Mail::DeliveryStatus::BounceParser
# (libmail-deliverystatus-bounceparser-perl) are Debian packages; scripts/test-tools.sh installs them.
use strict;
use warnings;
use JSON::PP ();
use Sisimai ();
use Mail::DeliveryStatus::BounceParser ();

die "usage: classify.pl FILE [FILE...]\n" unless @ARGV;
my $json = JSON::PP->new->utf8->canonical;

for my $path (@ARGV) {
    open(my $fh, '<:raw', $path) or die "classify.pl: cannot read $path: $!\n";
    my $raw = do { local $/; <$fh> };
    close $fh;
    # Both readers were written for mailbox files with LF line ends.
    (my $lf = $raw) =~ s/\r\n/\n/g;

    my @sisimai;
    for my $d (@{ Sisimai->make(\$lf) || [] }) {
        my $h = $d->damn;
        push @sisimai, {
            recipient  => $h->{'recipient'},
            reason     => $h->{'reason'},
            status     => $h->{'deliverystatus'},
            action     => $h->{'action'},
            softbounce => 0 + ($h->{'softbounce'} // 0),
            diagnostic => $h->{'diagnosticcode'},
            agent      => $h->{'smtpagent'},
        };
    }

    my @bp;
    my $bounce = eval { Mail::DeliveryStatus::BounceParser->new($lf) };
    if ($bounce) {
        for my $r ($bounce->reports) {
            push @bp, {
                email      => scalar $r->get('email'),
                std_reason => scalar $r->get('std_reason'),
                status     => scalar $r->get('status'),
                action     => scalar $r->get('action'),
            };
        }
    }
    print $json->encode({ file => $path, sisimai => \@sisimai, bounceparser => \@bp }), "\n";
}
