// speexdsp resampler wrapper. See resampler.h.
#include "resampler.h"

#include <speex/speex_resampler.h>

namespace sp::media {

Resampler::Resampler(int inRate, int outRate) : in_(inRate), out_(outRate) {
    if (in_ != out_) {
        int err = 0;
        st_ = speex_resampler_init(1, spx_uint32_t(in_), spx_uint32_t(out_), SPEEX_RESAMPLER_QUALITY_VOIP, &err);
        if (st_) speex_resampler_skip_zeros(st_);
    }
}

Resampler::~Resampler() {
    if (st_) speex_resampler_destroy(st_);
}

int Resampler::outputLatency() const { return st_ ? speex_resampler_get_output_latency(st_) : 0; }

void Resampler::process(const int16_t *in, size_t count, std::vector<int16_t> &out) {
    if (!st_) {
        out.insert(out.end(), in, in + count);
        return;
    }
    while (count > 0) {
        const size_t start = out.size();
        const size_t room = size_t(double(count) * out_ / in_) + 16;
        out.resize(start + room);
        spx_uint32_t inLen = spx_uint32_t(count), outLen = spx_uint32_t(room);
        speex_resampler_process_int(st_, 0, in, &inLen, out.data() + start, &outLen);
        out.resize(start + outLen);
        if (inLen == 0 && outLen == 0) break;
        in += inLen;
        count -= inLen;
    }
}

} // namespace sp::media
